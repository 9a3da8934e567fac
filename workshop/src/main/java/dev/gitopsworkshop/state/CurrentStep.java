package dev.gitopsworkshop.state;

import dev.gitopsworkshop.Mappers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tutorial step in progress, as {@code <data-dir>/step.json}: written by the runners (guided
 * and auto) when a step begins and ends, read by the projector view. A file, so that a runner in
 * one process and a lab in another (run beside up) agree without talking.
 *
 * @param state what is happening to it now
 */
public record CurrentStep(int id, String slug, String title, State state, Instant at) {
  private static final Logger LOG = LoggerFactory.getLogger(CurrentStep.class);
  public static final String FILE = "step.json";
  private static final ObjectMapper JSON = Mappers.JSON;

  /** A step's state as the room sees it. */
  public enum State {
    IN_PROGRESS("in progress"), DONE("done"), FAILED("failed"), SKIPPED("skipped");

    private final String label;

    State(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }

    static State of(String label) {
      for (State s : values()) {
        if (s.label.equals(label)) {
          return s;
        }
      }
      throw new IllegalArgumentException("unknown step state: " + label);
    }
  }

  public static Path file(DataDir dir) {
    return dir.resolve(FILE);
  }

  /** Writes step.json atomically (a reader never sees half of it). */
  public void write(DataDir dir) throws IOException {
    DataDir.writeAtomically(file(dir), JSON.writeValueAsString(toJson()) + "\n", false);
  }

  /** The step last reported in this data dir; empty when none was, or the file is unreadable. */
  public static Optional<CurrentStep> read(DataDir dir) {
    Path file = file(dir);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      JsonNode n = JSON.readTree(Files.readString(file));
      return Optional.of(new CurrentStep(n.path("id").asInt(), n.path("slug").asText(), n.path("title").asText(),
          State.of(n.path("state").asText()), Instant.parse(n.path("at").asText())));
    } catch (IOException | RuntimeException e) {
      LOG.debug("{} is unreadable: no current step", file, e);
      return Optional.empty();
    }
  }

  public ObjectNode toJson() {
    ObjectNode n = JSON.createObjectNode();
    n.put("id", id).put("slug", slug).put("title", title).put("state", state.label()).put("at", at.toString());
    return n;
  }
}
