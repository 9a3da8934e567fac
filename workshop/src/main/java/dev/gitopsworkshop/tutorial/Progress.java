package dev.gitopsworkshop.tutorial;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.Mappers;
import dev.gitopsworkshop.state.DataDir;
import dev.gitopsworkshop.tutorial.model.StepMemory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tutorial's progress in a data dir ({@code progress.json}): when each step began and what its
 * checks noted then, and which steps a runner saw done. Every command reads the same file, so a
 * {@code check} in another terminal judges an act against the same beginning as the guided run,
 * and {@code reset N} makes step N begin again for everyone. The file is read again whenever
 * another process changed it.
 */
public final class Progress {
  private static final Logger LOG = LoggerFactory.getLogger(Progress.class);
  static final String FILE = "progress.json";
  private final Path file;
  private ObjectNode root = Mappers.JSON.createObjectNode();
  private FileTime loaded;

  public Progress(DataDir dir) {
    this.file = dir.resolve(FILE);
  }

  /** Whether any step ever began in this data dir. */
  public synchronized boolean exists() {
    return Files.exists(file);
  }

  /** Step {@code id} begins now: what it noted before is forgotten; returns its memory to fill. */
  public synchronized StepMemory begin(int id) {
    reload();
    ObjectNode step = steps().putObject(String.valueOf(id));
    step.put("began", Instant.now().toString());
    step.putObject("memory");
    save();
    return of(id);
  }

  /** What step {@code id} noted when it began ({@link StepMemory#NONE}-like when it has not). */
  public synchronized StepMemory of(int id) {
    reload();
    return new Memory(String.valueOf(id));
  }

  /** A runner saw step {@code id} done. */
  public synchronized void done(int id) {
    reload();
    JsonNode step = steps().get(String.valueOf(id));
    if (step instanceof ObjectNode o) {
      o.put("done", Instant.now().toString());
      save();
    }
  }

  /** The steps a runner saw done (and that were not begun again since), in order. */
  public synchronized List<Integer> done() {
    reload();
    List<Integer> out = new ArrayList<>();
    steps().fields().forEachRemaining(e -> {
      if (e.getValue().has("done")) {
        out.add(Integer.parseInt(e.getKey()));
      }
    });
    out.sort(Integer::compare);
    return out;
  }

  /** Steps {@code from} and later have not begun (a reset undid them). */
  public synchronized void forgetFrom(int from) {
    reload();
    for (Iterator<Map.Entry<String, JsonNode>> it = steps().fields(); it.hasNext(); ) {
      if (Integer.parseInt(it.next().getKey()) >= from) {
        it.remove();
      }
    }
    save();
  }

  private ObjectNode steps() {
    JsonNode s = root.get("steps");
    return s instanceof ObjectNode o ? o : root.putObject("steps");
  }

  private void reload() {
    try {
      if (!Files.exists(file)) {
        if (loaded != null) {
          root = Mappers.JSON.createObjectNode();
          loaded = null;
        }
        return;
      }
      FileTime modified = Files.getLastModifiedTime(file);
      if (modified.equals(loaded)) {
        return;
      }
      JsonNode read = Mappers.JSON.readTree(file.toFile());
      root = read instanceof ObjectNode o ? o : Mappers.JSON.createObjectNode();
      loaded = modified;
    } catch (IOException e) {
      LOG.warn("cannot read {}: {} (the tutorial's progress starts afresh)", file, e.getMessage());
      root = Mappers.JSON.createObjectNode();
    }
  }

  private void save() {
    try {
      DataDir.writeAtomically(file, Mappers.PRETTY.writeValueAsString(root) + "\n", false);
      loaded = Files.getLastModifiedTime(file);
    } catch (IOException e) {
      LOG.warn("cannot write {}: {} (checks in other terminals will not see this step's beginning)", file, e.getMessage());
    }
  }

  /** One step's memory, read and written through the file. */
  private final class Memory implements StepMemory {
    private final String id;

    Memory(String id) {
      this.id = id;
    }

    @Override
    public int step() {
      return Integer.parseInt(id);
    }

    @Override
    public boolean began() {
      synchronized (Progress.this) {
        reload();
        return steps().has(id);
      }
    }

    @Override
    public String recalled(String key) {
      synchronized (Progress.this) {
        reload();
        JsonNode v = steps().path(id).path("memory").get(key);
        return v == null || v.isNull() ? null : v.asText();
      }
    }

    @Override
    public void remember(String key, String value) {
      synchronized (Progress.this) {
        reload();
        JsonNode step = steps().get(id);
        if (!(step instanceof ObjectNode o)) {
          throw new IllegalStateException("step " + id + " has not begun");
        }
        ObjectNode memory = o.get("memory") instanceof ObjectNode m ? m : o.putObject("memory");
        if (value == null) {
          memory.putNull(key);
        } else {
          memory.put(key, value);
        }
        save();
      }
    }
  }
}
