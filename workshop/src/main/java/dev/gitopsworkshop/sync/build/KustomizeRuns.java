package dev.gitopsworkshop.sync.build;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.Mappers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kustomize's runs: the artifact unpacked with Flux's kustomization file in place, built by
 * {@link KubectlKustomize}, the output split into documents. Recent outputs are kept by the
 * fingerprint of their input (the artifact, the folder and the kustomization file), done or under
 * way: a reconcile without a new revision or spec (drift, a nudge, the interval) does not run
 * kustomize again, as its output could not differ, and one that finds a run {@link #prepare
 * prepared} for its new revision waits for it. A failure is never kept.
 */
final class KustomizeRuns implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KustomizeRuns.class);
  private static final int RECENT_OUTPUTS = 32;

  /** What kustomize builds from: the folder, the artifact, and Flux's kustomization file for it. */
  record Input(String dir, ArtifactTree tree, KustomizationFile.Result k) {
    /** What the output depends on. */
    String fingerprint() {
      MessageDigest md = sha256();
      md.update(filesDigest(tree.files()));
      md.update(dir.getBytes(StandardCharsets.UTF_8));
      md.update((byte) 0);
      md.update(k.content().toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(md.digest());
    }
  }

  /**
   * The digests of artifacts' files, by the files themselves: an artifact's map lives as long as
   * the artifact is current, and each reconcile of it would hash all of it again (flux/install.yaml
   * alone is 200 KB). Two maps are the same key only when they hold the very same contents.
   */
  private static final Map<Map<String, byte[]>, byte[]> FILES_DIGESTS = Collections.synchronizedMap(new WeakHashMap<>());

  private static byte[] filesDigest(Map<String, byte[]> files) {
    return FILES_DIGESTS.computeIfAbsent(files, f -> {
      MessageDigest md = sha256();
      for (Map.Entry<String, byte[]> e : f.entrySet()) {
        md.update(e.getKey().getBytes(StandardCharsets.UTF_8));
        md.update((byte) 0);
        md.update(e.getValue());
        md.update((byte) 0);
      }
      return md.digest();
    });
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private final Path workDir;
  private final KubectlKustomize kubectl;
  private final Map<String, CompletableFuture<List<String>>> outputs = Collections.synchronizedMap(
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CompletableFuture<List<String>>> eldest) {
          return size() > RECENT_OUTPUTS;
        }
      });
  private final ExecutorService preparing = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "kustomize-prepare");
    t.setDaemon(true);
    return t;
  });

  KustomizeRuns(Path workDir, KubectlKustomize kubectl) {
    this.workDir = workDir;
    this.kubectl = kubectl;
  }

  /** The YAML documents kustomize builds from an input: a recent output, one under way, or a run now. */
  List<String> output(Input in) {
    try {
      return output(in, Runnable::run).join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  /** Runs kustomize in the background on the input {@code input} gives; what fails is left to the reconcile to report. */
  void prepare(Supplier<Input> input) {
    preparing.execute(() -> {
      try {
        output(input.get(), Runnable::run);
      } catch (RuntimeException e) {
        LOG.debug("not prepared, the reconcile will say why: {}", e.getMessage());
      }
    });
  }

  @Override
  public void close() {
    preparing.shutdownNow();
  }

  private CompletableFuture<List<String>> output(Input in, Executor runner) {
    String fingerprint = in.fingerprint();
    CompletableFuture<List<String>> mine = new CompletableFuture<>();
    CompletableFuture<List<String>> existing = outputs.putIfAbsent(fingerprint, mine);
    if (existing != null) {
      return existing;
    }
    runner.execute(() -> {
      try {
        mine.complete(run(in));
      } catch (RuntimeException e) {
        outputs.remove(fingerprint, mine); // the next reconcile tries again
        mine.completeExceptionally(e);
      }
    });
    return mine;
  }

  /** Unpacks the artifact with Flux's kustomization file (asking for origins, to name files) and builds. */
  private List<String> run(Input in) {
    ObjectNode content = in.k().content().deepCopy();
    if (!KustomizationFile.asksForOrigins(content)) {
      (content.path("buildMetadata").isArray() ? (ArrayNode) content.get("buildMetadata") : content.putArray("buildMetadata"))
          .add("originAnnotations");
    }
    Path root = null;
    try {
      Files.createDirectories(workDir);
      root = Files.createTempDirectory(workDir, "kustomization-");
      for (Map.Entry<String, byte[]> f : in.tree().files().entrySet()) {
        Path target = root.resolve(f.getKey());
        Files.createDirectories(target.getParent());
        Files.write(target, f.getValue());
      }
      if (!in.k().created()) {
        Files.delete(root.resolve(in.k().file()));
      }
      Path kfile = root.resolve(ArtifactTree.join(in.dir(), "kustomization.yaml"));
      Files.createDirectories(kfile.getParent());
      Files.writeString(kfile, Mappers.JSON.writeValueAsString(content), StandardCharsets.UTF_8);
      String out = kubectl.build(root, in.dir().isEmpty() ? root : root.resolve(in.dir()));
      List<String> docs = new ArrayList<>();
      for (String doc : out.split("(?m)^---[ \\t]*$")) {
        if (!doc.isBlank()) {
          docs.add(doc.startsWith("\n") ? doc.substring(1) : doc);
        }
      }
      return docs;
    } catch (IOException e) {
      LOG.warn("cannot unpack the artifact for kustomize in {}", workDir, e);
      throw BuildFailure.build("kustomize build failed: cannot unpack the artifact in " + workDir + ": " + e.getMessage());
    } finally {
      delete(root);
    }
  }

  private static void delete(Path root) {
    if (root == null) {
      return;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      LOG.warn("cannot delete {}", root, e);
    }
  }
}
