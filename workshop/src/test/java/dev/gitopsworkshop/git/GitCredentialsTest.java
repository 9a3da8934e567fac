package dev.gitopsworkshop.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitopsworkshop.state.DataDir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitCredentialsTest {
  @TempDir Path tmp;

  @Test
  void createsParticipantAndOperatorWithRandomUrlSafePasswordsInAPrivateFile() throws Exception {
    GitCredentials credentials = GitCredentials.loadOrCreate(DataDir.at(tmp));
    Account participant = credentials.participant();
    Account operator = credentials.operator();
    assertEquals("participant", participant.username());
    assertEquals("flux", operator.username());
    assertTrue(participant.password().matches("[A-Za-z0-9_-]{24}"), participant.password());
    assertTrue(operator.password().matches("[A-Za-z0-9_-]{24}"), operator.password());
    assertNotEquals(participant.password(), operator.password());
    Path file = tmp.resolve("credentials.json");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
  }

  @Test
  void keepsPasswordsAndPortWhenLoadedAgain() {
    GitCredentials first = GitCredentials.loadOrCreate(DataDir.at(tmp));
    first.rememberPort(45678);
    GitCredentials again = GitCredentials.loadOrCreate(DataDir.at(tmp));
    assertEquals(first.participant(), again.participant());
    assertEquals(first.operator(), again.operator());
    assertEquals(Optional.of(45678), again.port());
  }

  @Test
  void authenticatesOnlyWithTheRightPassword() {
    GitCredentials credentials = GitCredentials.loadOrCreate(DataDir.at(tmp));
    String password = credentials.participant().password();
    assertTrue(credentials.authenticate("participant", password).isPresent());
    assertFalse(credentials.authenticate("participant", password + "x").isPresent());
    assertFalse(credentials.authenticate("participant", "").isPresent());
    assertFalse(credentials.authenticate("nobody", password).isPresent());
    assertFalse(credentials.authenticate("flux", password).isPresent());
  }

  @Test
  void aRunningServerSeesRoomAccountsAddedByAnotherProcess() {
    GitCredentials server = GitCredentials.loadOrCreate(DataDir.at(tmp));
    Account alice = GitCredentials.loadOrCreate(DataDir.at(tmp)).addRoomAccount("alice");
    assertEquals("alice.git", alice.repository());
    assertEquals(Optional.of(alice), server.authenticate("alice", alice.password()));
    assertEquals(alice, GitCredentials.loadOrCreate(DataDir.at(tmp)).addRoomAccount("alice"), "kept as it was");
  }

  @Test
  void rememberingThePortKeepsRoomAccountsAddedMeanwhile() {
    GitCredentials server = GitCredentials.loadOrCreate(DataDir.at(tmp));
    Account alice = GitCredentials.loadOrCreate(DataDir.at(tmp)).addRoomAccount("alice");
    server.rememberPort(45679);
    GitCredentials reread = GitCredentials.loadOrCreate(DataDir.at(tmp));
    assertEquals(Optional.of(alice), reread.authenticate("alice", alice.password()));
    assertEquals(Optional.of(45679), reread.port());
  }

  @Test
  void eachAccountUsesOnlyItsOwnRepository() {
    GitCredentials credentials = GitCredentials.loadOrCreate(DataDir.at(tmp));
    Account alice = credentials.addRoomAccount("alice");
    assertTrue(GitCredentials.mayUse(credentials.participant(), "workshop.git"));
    assertTrue(GitCredentials.mayUse(credentials.operator(), "workshop.git"));
    assertFalse(GitCredentials.mayUse(credentials.participant(), "alice.git"));
    assertTrue(GitCredentials.mayUse(alice, "alice.git"));
    assertFalse(GitCredentials.mayUse(alice, "workshop.git"));
    assertFalse(GitCredentials.mayUse(alice, "bob.git"));
  }
}
