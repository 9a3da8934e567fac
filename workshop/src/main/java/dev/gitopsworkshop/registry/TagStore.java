package dev.gitopsworkshop.registry;

import dev.gitopsworkshop.WorkshopException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tags the lab's registry knows, per repository ({@code stefanprodan/podinfo}): podinfo's
 * released tags from the project's data file, plus what an instructor publishes. Kept in
 * {@code <data-dir>/registry/<repository>.tags}, one tag per line, so a published tag survives a
 * restart. The embedded kubelet asks the same store whether an image can be pulled.
 */
public final class TagStore {
  private static final Logger LOG = LoggerFactory.getLogger(TagStore.class);
  /** The repository the workshop uses, as registries name it. */
  public static final String PODINFO = "stefanprodan/podinfo";
  /** A tag as the OCI distribution spec allows it. */
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
  private static final Pattern REPOSITORY = Pattern.compile("[a-z0-9]+(?:[._-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*");

  private final Path dir;
  private final Map<String, NavigableSet<String>> repositories = new ConcurrentHashMap<>();
  private final List<BiConsumer<String, String>> listeners = new CopyOnWriteArrayList<>();
  private final List<String> skipped = new ArrayList<>();

  private TagStore(Path dir) {
    this.dir = dir;
  }

  /** The project's own tags, in memory only (for a cluster without a data dir). */
  public static TagStore bundled() {
    TagStore store = new TagStore(null);
    store.repositories.put(PODINFO, new ConcurrentSkipListSet<>(bundledTags()));
    return store;
  }

  /**
   * The store kept in {@code dir}; seeded with the project's podinfo tags the first time. A line
   * that is not a tag (a damaged file, bytes that are not text) is skipped and named in
   * {@link #skipped()}; the file itself is left as it is.
   */
  public static TagStore open(Path dir) {
    TagStore store = new TagStore(dir);
    Path podinfo = store.file(PODINFO);
    try {
      if (!Files.exists(podinfo)) {
        Files.createDirectories(podinfo.getParent());
        Files.writeString(podinfo, "# Tags of " + PODINFO + " in the lab's registry, one per line"
            + " ('scripts/workshop registry tag podinfo TAG' adds one).\n" + String.join("\n", bundledTags()) + "\n");
      }
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".tags") && Files.isRegularFile(p)).sorted().toList()) {
          String name = dir.relativize(f).toString().replace('\\', '/');
          name = name.substring(0, name.length() - ".tags".length());
          if (!REPOSITORY.matcher(name).matches()) {
            store.skip(f, 0, "its name is not a repository name");
            continue;
          }
          store.repositories.put(name, new ConcurrentSkipListSet<>(store.readChecked(f)));
        }
      }
    } catch (IOException e) {
      throw new WorkshopException("cannot read the lab's registry in " + dir + ": " + e.getMessage(),
          "check the data dir's permissions, or remove " + dir + " to start from the project's tags", e);
    }
    return store;
  }

  /** A tags file's tags; what is not one is skipped, with a line saying so. */
  private List<String> readChecked(Path file) throws IOException {
    // decoded leniently: a byte that is not UTF-8 becomes U+FFFD, which no tag contains
    String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
        .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
    List<String> tags = new ArrayList<>();
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (TAG.matcher(line).matches()) {
        tags.add(line);
      } else {
        skip(file, i + 1, "not an image tag");
      }
    }
    return tags;
  }

  private void skip(Path file, int line, String why) {
    String where = dir.relativize(file).toString().replace('\\', '/') + (line > 0 ? " line " + line : "");
    LOG.warn("the lab's registry skipped {} in {}: {}", where, dir, why);
    synchronized (skipped) {
      skipped.add(where + " (" + why + ")");
    }
  }

  /** What {@link #open} skipped, one entry each ({@code podinfo.tags line 7 (not an image tag)}); empty when nothing. */
  public List<String> skipped() {
    synchronized (skipped) {
      return List.copyOf(skipped);
    }
  }

  private static List<String> bundledTags() {
    try (InputStream in = TagStore.class.getResourceAsStream("/registry/podinfo.tags")) {
      if (in == null) {
        throw new IllegalStateException("registry/podinfo.tags is missing from the build");
      }
      return read(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> read(BufferedReader reader) {
    return reader.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
  }

  private Path file(String repository) {
    return dir.resolve(repository + ".tags");
  }

  /** The repository's tags in lexical order, or empty when the registry does not have it. */
  public Optional<NavigableSet<String>> tags(String repository) {
    NavigableSet<String> tags = repositories.get(repository);
    return tags == null ? Optional.empty() : Optional.of(new TreeSet<>(tags));
  }

  public boolean has(String repository, String tag) {
    NavigableSet<String> tags = repositories.get(repository);
    return tags != null && tags.contains(tag);
  }

  public List<String> repositories() {
    return repositories.keySet().stream().sorted().toList();
  }

  /**
   * Publishes a tag (as a push of an image with that tag would); false when it was there already.
   * A repository not in the registry yet is created.
   */
  public synchronized boolean publish(String repository, String tag) {
    if (!REPOSITORY.matcher(repository).matches()) {
      throw WorkshopException.usage("'" + repository + "' is not a repository name",
          "use lower-case path components such as stefanprodan/podinfo (or podinfo for short)");
    }
    if (!TAG.matcher(tag).matches()) {
      throw WorkshopException.usage("'" + tag + "' is not a valid image tag",
          "a tag is up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-' (for example 6.5.9)");
    }
    NavigableSet<String> tags = repositories.computeIfAbsent(repository, r -> new ConcurrentSkipListSet<>());
    if (tags.contains(tag)) {
      return false;
    }
    if (dir != null) {
      Path f = file(repository);
      try {
        Files.createDirectories(f.getParent());
        Files.writeString(f, tag + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      } catch (IOException e) {
        throw new WorkshopException("cannot record the tag in " + f + ": " + e.getMessage(), "check the data dir's permissions", e);
      }
    }
    tags.add(tag);
    listeners.forEach(l -> l.accept(repository, tag));
    return true;
  }

  /** Told of every tag published from now on: (repository, tag). */
  public void onPublish(BiConsumer<String, String> listener) {
    listeners.add(listener);
  }
}
