package dev.gitopsworkshop.git;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.WorkshopException;
import dev.gitopsworkshop.lab.DataDir;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The accounts of {@code <data-dir>/credentials.json} (mode 0600): who may read and push which
 * repository. The participant and the operator accounts are created on first use; room accounts are
 * added by {@link Room}, possibly from another process: {@link #find} reloads the file when it
 * changed, so a running server sees new accounts without a restart.
 *
 * <pre>{"accounts": [{"username": "participant", "password": "...", "repositories": ["workshop.git"]}]}</pre>
 */
public final class AccountStore {
  public static final String PARTICIPANT = "participant";
  public static final String OPERATOR = "flux";

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** An account and the repositories it may read and push. */
  public record Entry(Account account, Set<String> repositories) {}

  private final Path file;
  private final Path lock;
  private volatile Snapshot snapshot = new Snapshot(null, -1, Map.of());

  private record Snapshot(FileTime modified, long size, Map<String, Entry> entries) {}

  private AccountStore(DataDir dir) {
    this.file = dir.resolve("credentials.json");
    this.lock = dir.resolve(".credentials.lock");
  }

  /** Opens the store, creating the participant and operator accounts when they are missing. */
  public static AccountStore open(DataDir dir) {
    AccountStore store = new AccountStore(dir);
    store.update(
        entries -> {
          for (String name : List.of(PARTICIPANT, OPERATOR)) {
            entries.computeIfAbsent(
                name, n -> new Entry(new Account(n, newPassword()), Set.of(RepositoryName.WORKSHOP)));
          }
          return entries;
        });
    return store;
  }

  /** 24 URL-safe characters from a strong random source. */
  public static String newPassword() {
    byte[] bytes = new byte[18];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  public Account participant() {
    return find(PARTICIPANT).account();
  }

  public Account operator() {
    return find(OPERATOR).account();
  }

  /** The account of that name as the file says now, or null. */
  public Entry find(String username) {
    return current().get(username);
  }

  /** All accounts in file order. */
  public List<Entry> all() {
    return new ArrayList<>(current().values());
  }

  /** The account when user name and password match (compared in constant time), else null. */
  public Entry authenticate(String username, String password) {
    Entry entry = find(username);
    if (entry == null || password == null) {
      return null;
    }
    byte[] expected = entry.account().password().getBytes(StandardCharsets.UTF_8);
    byte[] given = password.getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(expected, given) ? entry : null;
  }

  /** Changes the accounts under a lock shared with other processes; returns the result. */
  public synchronized Map<String, Entry> update(UnaryOperator<Map<String, Entry>> change) {
    try {
      Files.createDirectories(file.getParent());
      try (FileChannel channel =
              FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock ignored = channel.lock()) {
        Map<String, Entry> entries = new LinkedHashMap<>(read());
        Map<String, Entry> changed = change.apply(entries);
        DataDir.writeAtomically(file, render(changed), true);
        snapshot = new Snapshot(null, -1, Map.of());
        return changed;
      }
    } catch (IOException e) {
      throw cannotUse(e);
    }
  }

  private Map<String, Entry> current() {
    try {
      Snapshot seen = snapshot;
      FileTime modified = Files.getLastModifiedTime(file);
      long size = Files.size(file);
      if (modified.equals(seen.modified()) && size == seen.size()) {
        return seen.entries();
      }
      Map<String, Entry> entries = read();
      snapshot = new Snapshot(modified, size, entries);
      return entries;
    } catch (IOException e) {
      throw cannotUse(e);
    }
  }

  private Map<String, Entry> read() throws IOException {
    Map<String, Entry> entries = new LinkedHashMap<>();
    if (!Files.exists(file)) {
      return entries;
    }
    JsonNode root = JSON.readTree(Files.readString(file));
    for (JsonNode node : root.path("accounts")) {
      Set<String> repositories = new java.util.LinkedHashSet<>();
      node.path("repositories").forEach(r -> repositories.add(r.asText()));
      String username = node.path("username").asText();
      entries.put(
          username,
          new Entry(new Account(username, node.path("password").asText()), Set.copyOf(repositories)));
    }
    return entries;
  }

  private static String render(Map<String, Entry> entries) throws IOException {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode accounts = root.putArray("accounts");
    for (Entry entry : entries.values()) {
      ObjectNode node = accounts.addObject();
      node.put("username", entry.account().username());
      node.put("password", entry.account().password());
      ArrayNode repositories = node.putArray("repositories");
      entry.repositories().stream().sorted().forEach(repositories::add);
    }
    return JSON.writeValueAsString(root) + "\n";
  }

  private WorkshopException cannotUse(IOException e) {
    return new WorkshopException(
        "cannot read or write " + file + ": " + e.getMessage(),
        "check the data directory's permissions, or remove the file to get new passwords",
        e);
  }
}
