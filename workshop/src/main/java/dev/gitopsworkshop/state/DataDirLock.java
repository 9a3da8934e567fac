package dev.gitopsworkshop.state;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gitopsworkshop.Mappers;
import dev.gitopsworkshop.Shell;
import dev.gitopsworkshop.WorkshopException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One process owns a data dir: the one that holds the operating system's lock on
 * {@code <data-dir>/lab.lock} ({@code up}, {@code run} when it starts its own lab, {@code git serve}).
 * The lock goes with the process, however it ends (a SIGKILL included), so a crashed lab never
 * blocks the next one, and a process that merely reuses a dead lab's PID blocks nothing. The file
 * also says who owns it, for the refusal another command prints.
 *
 * <p>POSIX locks belong to a process, and closing <em>any</em> descriptor of the file drops them:
 * so this process never opens the file again while it holds the lock (it answers from memory).
 */
public final class DataDirLock implements AutoCloseable {
  public static final String FILE = "lab.lock";
  private static final Logger LOG = LoggerFactory.getLogger(DataDirLock.class);
  private static final ObjectMapper JSON = Mappers.JSON;
  /** The locks this process holds, by data dir. */
  private static final Map<Path, DataDirLock> HELD = new ConcurrentHashMap<>();

  /** Who owns a data dir. {@code command} is what they ran ({@code up}, {@code git serve}); pid -1: unknown. */
  public record Owner(long pid, String command, Instant since) {
    /** In words: {@code 'up' (process 4242, since 10:02:07)}. */
    public String describe() {
      if (pid < 0) {
        return "another workshop process";
      }
      String at = since == null ? "" : ", since " + LocalTime.ofInstant(since, ZoneId.systemDefault()).truncatedTo(ChronoUnit.SECONDS);
      return "'" + command + "' (process " + pid + at + ")";
    }

    static Owner unknown() {
      return new Owner(-1, null, null);
    }
  }

  private final Path key;
  private final FileChannel channel;
  private final FileLock lock;
  private final Owner owner;

  private DataDirLock(Path key, FileChannel channel, FileLock lock, Owner owner) {
    this.key = key;
    this.channel = channel;
    this.lock = lock;
    this.owner = owner;
  }

  /**
   * Makes this process the data dir's owner, or refuses in one line naming the owner.
   *
   * @param command what the user ran, as the refusal names it ({@code up}, {@code git serve})
   */
  public static DataDirLock acquire(DataDir dir, String command) {
    dir.ensureWritable();
    Path file = dir.resolve(FILE);
    synchronized (HELD) {
      Path key = key(dir);
      DataDirLock mine = HELD.get(key);
      if (mine != null) {
        throw inUse(dir, mine.owner);
      }
      try {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock = tryLock(channel);
        if (lock == null) {
          channel.close(); // this process holds no lock on the file, so closing drops nothing
          throw inUse(dir, readOwner(file, true));
        }
        Owner owner = new Owner(ProcessHandle.current().pid(), command, Instant.now());
        byte[] content = (JSON.createObjectNode().put("pid", owner.pid()).put("command", command)
            .put("since", owner.since().toString()).toString() + "\n").getBytes(StandardCharsets.UTF_8);
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(content), 0);
        channel.force(false);
        DataDirLock held = new DataDirLock(key, channel, lock, owner);
        HELD.put(key, held);
        return held;
      } catch (IOException e) {
        throw new WorkshopException("cannot lock the data directory " + dir.root() + " (" + file + "): " + e.getMessage(),
            "choose another --data-dir, or check its permissions", e);
      }
    }
  }

  /**
   * Who owns the data dir now, this process included; empty when nobody does (a lab.json left
   * behind then describes a lab that has ended).
   */
  public static Optional<Owner> owner(DataDir dir) {
    Path file = dir.resolve(FILE);
    synchronized (HELD) {
      DataDirLock mine = HELD.get(key(dir));
      if (mine != null) {
        return Optional.of(mine.owner);
      }
      if (!Files.isRegularFile(file)) {
        return Optional.empty();
      }
      // a shared lock for a moment: granted only when no process holds the owner's lock
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
        FileLock probe = channel.tryLock(0, Long.MAX_VALUE, true);
        if (probe != null) {
          probe.release();
          return Optional.empty();
        }
      } catch (IOException | OverlappingFileLockException e) {
        LOG.warn("cannot tell whether {} is held: {}", file, e.toString());
        return Optional.empty();
      }
      return Optional.of(readOwner(file, true));
    }
  }

  public Owner owner() {
    return owner;
  }

  /** Gives the data dir up (the file stays: the next owner locks it again). */
  @Override
  public void close() {
    synchronized (HELD) {
      if (!HELD.remove(key, this)) {
        return;
      }
      try {
        lock.release();
        channel.close();
      } catch (IOException e) {
        LOG.warn("cannot release the lock on {}: {}", key.resolve(FILE), e.toString());
      }
    }
  }

  /** The refusal a command gets on a data dir someone else owns. */
  private static WorkshopException inUse(DataDir dir, Owner owner) {
    return new WorkshopException(
        "the data directory " + dir.root() + " is in use by " + owner.describe(),
        "use that lab (scripts/workshop status --data-dir " + Shell.quote(dir.root()) + "), stop it (Ctrl-C in its terminal),"
            + " or choose another --data-dir");
  }

  /**
   * A few tries: a process that only looks (a shared lock for a moment, {@link #owner}) must not
   * make a starting lab give up.
   */
  private static FileLock tryLock(FileChannel channel) throws IOException {
    for (int attempt = 0; ; attempt++) {
      try {
        FileLock lock = channel.tryLock();
        if (lock != null || attempt == 4) {
          return lock;
        }
      } catch (OverlappingFileLockException e) {
        return null; // another thread of this process is taking it right now
      }
      pause(20);
    }
  }

  /**
   * The owner the file names. An owner writes it right after taking the lock, so an empty file
   * is read again for a moment before the owner is called unknown.
   */
  private static Owner readOwner(Path file, boolean waitForIt) {
    for (int attempt = 0; attempt < (waitForIt ? 20 : 1); attempt++) {
      try {
        String text = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (!text.isEmpty()) {
          JsonNode node = JSON.readTree(text);
          Instant since = node.hasNonNull("since") ? Instant.parse(node.get("since").asText()) : null;
          return new Owner(node.path("pid").asLong(-1), node.path("command").asText("?"), since);
        }
      } catch (IOException | RuntimeException e) {
        LOG.debug("{} does not name its owner yet: {}", file, e.toString());
      }
      pause(50);
    }
    return Owner.unknown();
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Path key(DataDir dir) {
    try {
      return dir.root().toRealPath();
    } catch (IOException e) {
      return dir.root();
    }
  }
}
