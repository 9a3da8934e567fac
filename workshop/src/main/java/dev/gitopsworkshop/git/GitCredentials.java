package dev.gitopsworkshop.git;

import dev.gitopsworkshop.Mappers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.WorkshopException;
import dev.gitopsworkshop.state.DataDir;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Git server's accounts and port, kept in {@code <data-dir>/credentials.json} (mode 0600) so
 * that a restart gives participants the same URL and passwords. Passwords are random, generated on
 * first start. Room accounts (one per participant, each with its own repository) are added by the
 * instructor; a running server picks them up when the file changes.
 */
public final class GitCredentials {
  private static final Logger LOG = LoggerFactory.getLogger(GitCredentials.class);
  public static final String PARTICIPANT = "participant";
  public static final String OPERATOR = "flux";
  public static final String WORKSHOP_REPOSITORY = "workshop.git";

  private static final ObjectMapper JSON = Mappers.JSON;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final Path file;
  private volatile State state;
  private volatile Stamp loadedAt;

  /**
   * Which version of the file was read: the modification time alone misses a change within the
   * file system's clock tick, but every atomic rewrite is a new file (a new inode).
   */
  private record Stamp(FileTime modified, Object fileKey) {
    static Stamp of(Path file) throws IOException {
      BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
      return new Stamp(attributes.lastModifiedTime(), attributes.fileKey());
    }
  }

  private record State(Integer port, Account participant, Account operator, Map<String, Account> room) {}

  private GitCredentials(Path file, State state, Stamp loadedAt) {
    this.file = file;
    this.state = state;
    this.loadedAt = loadedAt;
  }

  /** Loads the data dir's credentials, creating them (random passwords) on first use. */
  public static GitCredentials loadOrCreate(DataDir dir) {
    Path file = dir.resolve(DataDir.CREDENTIALS);
    try {
      if (Files.exists(file)) {
        Stamp stamp = Stamp.of(file);
        return new GitCredentials(file, read(file), stamp);
      }
      State fresh =
          new State(
              null,
              new Account(PARTICIPANT, newPassword(), null),
              new Account(OPERATOR, newPassword(), null),
              new LinkedHashMap<>());
      GitCredentials created = new GitCredentials(file, fresh, null);
      created.save();
      return created;
    } catch (IOException e) {
      throw new WorkshopException(
          "cannot read the Git credentials in " + file + ": " + e.getMessage(),
          "fix or remove the file (removing it gives everyone new passwords)",
          e);
    }
  }

  private static State read(Path file) throws IOException {
    JsonNode root = JSON.readTree(Files.readString(file));
    Map<String, Account> room = new LinkedHashMap<>();
    root.path("room")
        .fields()
        .forEachRemaining(
            e -> room.put(e.getKey(), new Account(e.getKey(), e.getValue().asText(), e.getKey() + ".git")));
    Integer port = root.hasNonNull("port") ? root.get("port").asInt() : null;
    Account participant = account(root, "participant");
    Account operator = account(root, "operator");
    if (participant == null || operator == null) {
      throw new IOException("it lacks the participant or operator account");
    }
    return new State(port, participant, operator, room);
  }

  private static Account account(JsonNode root, String key) {
    JsonNode node = root.path(key);
    if (!node.hasNonNull("username") || !node.hasNonNull("password")) {
      return null;
    }
    return new Account(node.get("username").asText(), node.get("password").asText(), null);
  }

  private synchronized void save() throws IOException {
    State s = state;
    ObjectNode root = JSON.createObjectNode();
    if (s.port() != null) {
      root.put("port", s.port());
    }
    root.putObject("participant").put("username", s.participant().username()).put("password", s.participant().password());
    root.putObject("operator").put("username", s.operator().username()).put("password", s.operator().password());
    ObjectNode room = root.putObject("room");
    s.room().forEach((name, account) -> room.put(name, account.password()));
    DataDir.writeAtomically(file, Mappers.PRETTY.writeValueAsString(root) + "\n", true);
    loadedAt = Stamp.of(file);
  }

  /** Re-reads the file when another process (a {@code git room add}) changed it. */
  private void refresh() {
    try {
      Stamp modified = Stamp.of(file);
      if (!modified.equals(loadedAt)) {
        synchronized (this) {
          state = read(file);
          loadedAt = modified;
        }
      }
    } catch (IOException e) {
      LOG.warn("cannot read {} again: keeping the accounts read before (is it being replaced, or was it edited by hand?)", file, e);
    }
  }

  public Account participant() {
    return state.participant();
  }

  public Account operator() {
    return state.operator();
  }

  public Optional<Integer> port() {
    return Optional.ofNullable(state.port());
  }

  public synchronized void rememberPort(int port) {
    if (state.port() != null && state.port() == port) {
      return;
    }
    try {
      underLock(
          () -> {
            State s = state;
            state = new State(port, s.participant(), s.operator(), s.room());
          });
    } catch (IOException e) {
      throw new WorkshopException("cannot save the Git server's port in " + file + ": " + e.getMessage(), null, e);
    }
  }

  /**
   * Read-modify-write of the file under a lock shared with other processes (a {@code git room add}
   * next to a running server), so that neither loses what the other wrote.
   */
  private void underLock(Runnable change) throws IOException {
    Path lock = file.resolveSibling(".credentials.lock");
    try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock ignored = channel.lock()) {
      if (Files.exists(file)) {
        state = read(file);
      }
      change.run();
      save();
    }
  }

  /** The room's accounts, in the order they were added. */
  public List<Account> room() {
    refresh();
    return List.copyOf(state.room().values());
  }

  /** Adds a room account (and so its repository name); an existing one is returned unchanged. */
  public synchronized Account addRoomAccount(String name) {
    RepositoryNames.requireValidAccount(name);
    try {
      underLock(
          () -> {
            State s = state;
            if (!s.room().containsKey(name)) {
              Map<String, Account> room = new LinkedHashMap<>(s.room());
              room.put(name, new Account(name, newPassword(), name + ".git"));
              state = new State(s.port(), s.participant(), s.operator(), room);
            }
          });
    } catch (IOException e) {
      throw new WorkshopException("cannot save the room account in " + file + ": " + e.getMessage(), null, e);
    }
    return state.room().get(name);
  }

  /** The account with this username and password, if they match (compared in constant time). */
  public Optional<Account> authenticate(String username, String password) {
    refresh();
    State s = state;
    Account candidate =
        s.participant().username().equals(username)
            ? s.participant()
            : s.operator().username().equals(username) ? s.operator() : s.room().get(username);
    if (candidate == null
        || !MessageDigest.isEqual(
            candidate.password().getBytes(StandardCharsets.UTF_8), password.getBytes(StandardCharsets.UTF_8))) {
      return Optional.empty();
    }
    return Optional.of(candidate);
  }

  /** Whether an account may read and write a repository. */
  public static boolean mayUse(Account account, String repository) {
    return account.repository() == null
        ? WORKSHOP_REPOSITORY.equals(repository)
        : account.repository().equals(repository);
  }

  private static String newPassword() {
    byte[] bytes = new byte[18];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
