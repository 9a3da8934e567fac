package dev.gitopsworkshop.state;

import dev.gitopsworkshop.Mappers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.WorkshopException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * {@code <data-dir>/lab.json}: how other commands, terminals and scripts find a running lab. The keys
 * {@code cluster.mode}, {@code cluster.kubeconfig}, {@code git.url}, {@code git.username} and
 * {@code git.password} are a public contract: add keys, never rename these.
 */
public final class LabFile {
  private static final ObjectMapper JSON =
      Mappers.JSON;

  private final ObjectNode root;

  private LabFile(ObjectNode root) {
    this.root = root;
  }

  public static LabFile empty() {
    return new LabFile(JSON.createObjectNode());
  }

  /** Reads lab.json; a clear error when there is no lab in that data directory. */
  public static LabFile read(DataDir dir) {
    Path file = dir.labJson();
    try {
      JsonNode node = JSON.readTree(Files.readString(file));
      if (!(node instanceof ObjectNode object)) {
        throw new IOException("not a JSON object");
      }
      return new LabFile(object);
    } catch (NoSuchFileException e) {
      throw new WorkshopException(
          "no lab found in " + dir.root() + " (there is no lab.json)",
          "start one with 'scripts/workshop up', or point --data-dir at the lab's data directory");
    } catch (IOException e) {
      throw new WorkshopException(
          "cannot read " + file + ": " + e.getMessage(),
          "remove it and start the lab again with 'scripts/workshop up'",
          e);
    }
  }

  public static boolean exists(DataDir dir) {
    return Files.isRegularFile(dir.labJson());
  }

  /** Writes lab.json atomically, readable only by the user (it holds passwords). */
  public void write(DataDir dir) throws IOException {
    DataDir.writeAtomically(dir.labJson(), Mappers.PRETTY.writeValueAsString(root) + "\n", true);
  }

  public ObjectNode section(String name) {
    return root.with(name);
  }

  public String get(String section, String key) {
    JsonNode node = root.path(section).path(key);
    return node.isMissingNode() || node.isNull() ? null : node.asText();
  }

  public LabFile put(String section, String key, String value) {
    section(section).put(key, value);
    return this;
  }

  public LabFile put(String section, String key, long value) {
    section(section).put(key, value);
    return this;
  }

  public String gitUrl() {
    return get("git", "url");
  }

  public String gitUsername() {
    return get("git", "username");
  }

  public String gitPassword() {
    return get("git", "password");
  }

  public String clusterMode() {
    return get("cluster", "mode");
  }

  public String kubeconfig() {
    return get("cluster", "kubeconfig");
  }

  public ObjectNode json() {
    return root;
  }

  @Override
  public String toString() {
    try {
      return Mappers.PRETTY.writeValueAsString(root);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
