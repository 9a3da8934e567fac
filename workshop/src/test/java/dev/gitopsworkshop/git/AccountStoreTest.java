package dev.gitopsworkshop.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitopsworkshop.lab.DataDir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccountStoreTest {
  @TempDir Path temp;

  @Test
  void createsParticipantAndOperatorWithRandomUrlSafePasswordsInAPrivateFile() throws Exception {
    DataDir dir = DataDir.at(temp);
    AccountStore store = AccountStore.open(dir);
    Account participant = store.participant();
    Account operator = store.operator();
    assertEquals("participant", participant.username());
    assertEquals("flux", operator.username());
    assertTrue(participant.password().matches("[A-Za-z0-9_-]{24}"), participant.password());
    assertNotEquals(participant.password(), operator.password());
    assertEquals(Set.of("workshop.git"), store.find("flux").repositories());
    Path file = dir.resolve("credentials.json");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
  }

  @Test
  void keepsPasswordsWhenOpenedAgain() {
    DataDir dir = DataDir.at(temp);
    Account first = AccountStore.open(dir).participant();
    assertEquals(first, AccountStore.open(dir).participant());
  }

  @Test
  void authenticatesOnlyWithTheRightPassword() {
    AccountStore store = AccountStore.open(DataDir.at(temp));
    Account participant = store.participant();
    assertNotNull(store.authenticate("participant", participant.password()));
    assertNull(store.authenticate("participant", participant.password() + "x"));
    assertNull(store.authenticate("participant", null));
    assertNull(store.authenticate("nobody", participant.password()));
  }

  @Test
  void seesAccountsAddedByAnotherStoreOnTheSameFile() {
    DataDir dir = DataDir.at(temp);
    AccountStore server = AccountStore.open(dir);
    assertNull(server.find("alice"));
    AccountStore.open(dir).update(entries -> {
      entries.put("alice", new AccountStore.Entry(new Account("alice", "secret"), Set.of("alice.git")));
      return entries;
    });
    assertNotNull(server.authenticate("alice", "secret"));
    assertEquals(Set.of("alice.git"), server.find("alice").repositories());
  }
}
