package dev.gitopsworkshop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitRoomCommandTest {
  @TempDir Path temp;

  record Run(int exitCode, String out, String err) {}

  private Run workshop(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = CommandLineFactory.create(new PrintWriter(out), new PrintWriter(err)).execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void addsParticipantsWithTheirOwnRepositoryAndListsThem() throws Exception {
    String data = temp.resolve("data").toString();
    Run add = workshop("git", "room", "add", "--data-dir", data, "alice", "bob");
    assertEquals(0, add.exitCode(), add.err());
    assertTrue(add.out().startsWith("NAME"), add.out());
    assertTrue(add.out().contains("/alice.git"), add.out());
    assertTrue(Files.isRegularFile(temp.resolve("data/git/bob.git/HEAD")));

    Run list = workshop("git", "room", "list", "--data-dir", data, "-o", "json");
    assertEquals(0, list.exitCode(), list.err());
    JsonNode seats = new ObjectMapper().readTree(list.out());
    assertEquals(2, seats.size());
    assertEquals("alice", seats.get(0).path("name").asText());
    assertTrue(seats.get(0).path("url").asText().matches("http://127\\.0\\.0\\.1:\\d+/alice\\.git"));
    assertEquals(24, seats.get(1).path("password").asText().length());

    Run again = workshop("git", "room", "add", "--data-dir", data, "alice");
    assertTrue(again.out().contains(seats.get(0).path("password").asText()), "password kept");
  }

  @Test
  void refusesAReservedNameInOneLineWithAHint() {
    Run add = workshop("git", "room", "add", "--data-dir", temp.resolve("data").toString(), "flux");
    assertEquals(2, add.exitCode());
    assertTrue(add.err().contains("'flux' is reserved"), add.err());
    assertEquals(2, add.err().strip().lines().count(), add.err());
  }

  @Test
  void refusesAMalformedPushLimit() {
    Run serve = workshop("git", "serve", "--data-dir", temp.resolve("data").toString(), "--max-push-size", "lots");
    assertEquals(2, serve.exitCode());
    assertTrue(serve.err().contains("'lots' is not a size"), serve.err());
  }
}
