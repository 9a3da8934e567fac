package dev.gitopsworkshop.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitopsworkshop.support.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The data dir's credential store, read back by git's own credential-store helper. */
class GitCredentialStoreTest {
  @TempDir Path tmp;

  @Test
  void gitReadsThePasswordBackAndNothingElseCanReadTheFile() throws Exception {
    DataDir dir = DataDir.at(tmp.resolve("my labs/.workshop")).ensureWritable();
    GitCredentialStore.write(dir, "http://127.0.0.1:41234/", "participant", "p@ss:w/rd%");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(GitCredentialStore.file(dir))));

    Files.createDirectories(tmp.resolve("home"));
    Cli cli = new Cli(tmp.resolve("home"), tmp);
    String fill = cli.runWithInput(tmp, Map.of(), "protocol=http\nhost=127.0.0.1:41234\n\n", "bash", "-c",
        "git -c credential.helper= -c credential.helper=" + dev.gitopsworkshop.Shell.quote(GitCredentialStore.helper(dir))
            + " credential fill").ok().out();
    assertTrue(fill.contains("username=participant\n"), fill);
    assertTrue(fill.contains("password=p@ss:w/rd%\n"), fill);
  }

  @Test
  void theLabReadsBackThePasswordOfTheAccountAtThatServer() throws Exception {
    DataDir dir = DataDir.at(tmp.resolve("lab")).ensureWritable();
    assertTrue(GitCredentialStore.password(dir, "https://git.example.org/ada/workshop.git", "ada").isEmpty(), "no store yet");
    GitCredentialStore.write(dir, "https://git.example.org/ada/workshop.git", "ada@example.org", "p@ss:w/rd% +ü");
    assertEquals("p@ss:w/rd% +ü", GitCredentialStore.password(dir, "https://git.example.org/ada/workshop.git", "ada@example.org").orElseThrow());
    assertTrue(GitCredentialStore.password(dir, "https://git.example.org/ada/workshop.git", "bob").isEmpty(), "another account");
    assertTrue(GitCredentialStore.password(dir, "https://git.example.org:8443/ada/workshop.git", "ada@example.org").isEmpty(), "another port");
    assertTrue(GitCredentialStore.password(dir, "http://git.example.org/ada/workshop.git", "ada@example.org").isEmpty(), "another scheme");
  }

  @Test
  void theCloneCommandCarriesNoPassword() {
    DataDir dir = DataDir.at(tmp.resolve("my labs/.workshop"));
    String command = GitCredentialStore.cloneCommand(dir, "http://127.0.0.1:41234/workshop.git", dir.workspace().toString());
    assertEquals("git clone -c credential.helper= -c 'credential.helper=store --file=\"" + dir.resolve("git-credentials")
        + "\"' http://127.0.0.1:41234/workshop.git '" + dir.workspace() + "'", command);
    assertFalse(command.contains("@"), command);
  }
}
