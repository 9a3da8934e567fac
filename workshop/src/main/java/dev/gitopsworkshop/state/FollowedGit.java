package dev.gitopsworkshop.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.Mappers;
import dev.gitopsworkshop.WorkshopException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code <data-dir>/followed-git.json}: the Git a data dir's lab was started with when that was not
 * the lab's own server ({@code --git-remote}, or the participant's repository in a room joined with
 * {@code --room}), so that the lab starts on it again without those options: the commands the tool
 * prints name the data dir only. The password is not in it; it stays in the data dir's
 * {@link GitCredentialStore} file (mode 0600), where the lab put it for git by hand.
 *
 * @param url the repository (for a room: the participant's repository in it)
 * @param username the account there (for a room: the participant's name)
 * @param roomUrl the room's address, or null for {@code --git-remote}
 */
public record FollowedGit(String url, String username, String roomUrl) {
  public static final String FILE = "followed-git.json";

  public static Path file(DataDir dir) {
    return dir.resolve(FILE);
  }

  /** What the data dir remembers; empty when its lab uses its own Git server. */
  public static Optional<FollowedGit> read(DataDir dir) {
    Path file = file(dir);
    try {
      JsonNode json = Mappers.JSON.readTree(Files.readString(file));
      String url = json.path("url").asText("");
      String username = json.path("username").asText("");
      if (url.isEmpty() || username.isEmpty()) {
        throw new IOException("no url or username in it");
      }
      return Optional.of(new FollowedGit(url, username, json.hasNonNull("room") ? json.get("room").asText() : null));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new WorkshopException("cannot read " + file + " (which Git this data dir's lab uses): " + e.getMessage(),
          "start the lab with its Git's options again (--git-remote URL ..., or your --room join line): it is written anew");
    }
  }

  public void write(DataDir dir) throws IOException {
    ObjectNode json = Mappers.JSON.createObjectNode().put("url", url).put("username", username);
    if (roomUrl != null) {
      json.put("room", roomUrl);
    }
    DataDir.writeAtomically(file(dir), Mappers.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n", false);
  }

  /** The password the data dir's credential store keeps for this account. */
  public Optional<String> password(DataDir dir) {
    return GitCredentialStore.password(dir, url, username);
  }
}
