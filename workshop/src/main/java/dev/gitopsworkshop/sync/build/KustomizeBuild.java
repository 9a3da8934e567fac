package dev.gitopsworkshop.sync.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.Mappers;
import dev.gitopsworkshop.sync.source.ArtifactPaths;
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
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kustomize-controller's build stage, as Flux runs it: the Kustomization's fields checked
 * ({@link KustomizationFields}), the path looked up in the artifact, Flux's
 * {@code kustomization.yaml} made ({@link KustomizationFile}) and its loads checked
 * ({@link LoadRules}), kustomize run through kubectl ({@link KubectlKustomize}; without kubectl,
 * {@link PlainBuild}), then {@code postBuild} ({@link PostBuild}) and {@code commonMetadata} on
 * every object. Each object keeps the artifact file it came from, for messages.
 */
public final class KustomizeBuild {
  private static final Logger LOG = LoggerFactory.getLogger(KustomizeBuild.class);
  private static final String ORIGIN = "config.kubernetes.io/origin";

  private final Path workDir;
  private final KubectlKustomize kustomize;
  private final ObjectReader cluster;
  /**
   * kustomize's recent outputs by the fingerprint of their input (the artifact and Flux's
   * kustomization file), done or under way: a reconcile without a new revision or spec (drift, a
   * nudge, the interval) does not run kustomize again, as its output could not differ, and one
   * that finds a build {@link #prepare prepared} for its new revision waits for it.
   */
  private final Map<String, CompletableFuture<List<String>>> outputs = Collections.synchronizedMap(
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CompletableFuture<List<String>>> eldest) {
          return size() > RECENT_OUTPUTS;
        }
      });
  private static final int RECENT_OUTPUTS = 32;
  private final ExecutorService preparing = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "kustomize-prepare");
    t.setDaemon(true);
    return t;
  });

  /** What kustomize builds from: the folder, the artifact, Flux's kustomization file, and their fingerprint. */
  private record Input(String dir, ArtifactTree tree, KustomizationFile.Result k, String fingerprint) {}

  /**
   * @param workDir where artifacts are unpacked for kustomize
   * @param kubectl kubectl, or empty to build without kustomize
   * @param cluster reads ConfigMaps, Secrets and ServiceAccounts (null when not found)
   */
  public KustomizeBuild(Path workDir, Optional<Path> kubectl, ObjectReader cluster) {
    this.workDir = workDir;
    this.kustomize = kubectl.map(KubectlKustomize::new).orElse(null);
    this.cluster = cluster;
  }

  /** kubectl on this process's PATH, which the embedded kustomize-controller builds with. */
  public static Optional<Path> kubectlOnPath() {
    return KubectlKustomize.onPath();
  }

  /** The objects a Kustomization's path builds to, in kustomize's order. */
  public List<Manifest> build(JsonNode ks, Map<String, byte[]> files) {
    JsonNode spec = ks.path("spec");
    KustomizationFields.check(ks, cluster);
    Input in = input(ks, files);
    List<Manifest> built = new ArrayList<>();
    PostBuild postBuild = new PostBuild(ks, cluster);
    if (kustomize == null) {
      for (Manifests.Text t : PlainBuild.build(in.tree(), in.dir(), spec)) {
        // without kustomize's rendering, variables are substituted in the document as written
        built.add(new Manifest(postBuild.apply(t.manifest().object(), t.yaml()), t.manifest().file()));
      }
    } else {
      for (String doc : join(output(in, Runnable::run))) {
        built.add(object(doc, in.dir(), in.k().file(), wantsOrigin(in.k().content()), postBuild));
      }
    }
    commonMetadata(built, spec.path("commonMetadata"));
    return built;
  }

  /**
   * Starts kustomize on a Kustomization's new artifact ahead of its reconcile, which then takes the
   * output (or waits for it) instead of running kustomize itself; what fails here is reported by
   * that reconcile.
   */
  public void prepare(JsonNode ks, Map<String, byte[]> files) {
    if (kustomize == null) {
      return;
    }
    preparing.execute(() -> {
      try {
        output(input(ks, files), Runnable::run);
      } catch (RuntimeException e) {
        LOG.debug("not prepared, the reconcile will say why: {}", e.getMessage());
      }
    });
  }

  /** Stops preparing builds. */
  public void close() {
    preparing.shutdownNow();
  }

  private Input input(JsonNode ks, Map<String, byte[]> files) {
    JsonNode spec = ks.path("spec");
    String path = spec.path("path").asText("");
    String dir = ArtifactPaths.clean(path);
    ArtifactTree tree = new ArtifactTree(files);
    if (!tree.isDir(dir)) {
      throw new BuildFailure(BuildFailure.ARTIFACT_FAILED, "kustomization path not found: stat " + path
          + ": no such file or directory (check spec.path against the folders of the source's revision)");
    }
    KustomizationFile.Result k = KustomizationFile.of(tree, dir, spec);
    LoadRules.check(tree, dir, k.file(), k.content());
    return new Input(dir, tree, k, fingerprint(files, dir, k.content()));
  }

  /** kustomize's output for an input: a recent one, one under way, or a new run on {@code runner}. */
  private CompletableFuture<List<String>> output(Input in, Executor runner) {
    CompletableFuture<List<String>> mine = new CompletableFuture<>();
    CompletableFuture<List<String>> existing = outputs.putIfAbsent(in.fingerprint(), mine);
    if (existing == null) {
      runner.execute(() -> {
        try {
          mine.complete(kustomize(in.tree(), in.dir(), in.k()));
        } catch (RuntimeException e) {
          outputs.remove(in.fingerprint(), mine); // a failure is not kept: the next reconcile tries again
          mine.completeExceptionally(e);
        }
      });
    }
    return existing == null ? mine : existing;
  }

  private static List<String> join(CompletableFuture<List<String>> output) {
    try {
      return output.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  /** Runs kustomize on the artifact unpacked, with Flux's kustomization file (asking for origins, to name files). */
  private List<String> kustomize(ArtifactTree tree, String dir, KustomizationFile.Result k) {
    ObjectNode content = k.content().deepCopy();
    if (!wantsOrigin(content)) {
      (content.path("buildMetadata").isArray() ? (ArrayNode) content.get("buildMetadata") : content.putArray("buildMetadata"))
          .add("originAnnotations");
    }
    Path root = null;
    try {
      Files.createDirectories(workDir);
      root = Files.createTempDirectory(workDir, "kustomization-");
      for (Map.Entry<String, byte[]> f : tree.files().entrySet()) {
        Path target = root.resolve(f.getKey());
        Files.createDirectories(target.getParent());
        Files.write(target, f.getValue());
      }
      if (!k.created()) {
        Files.delete(root.resolve(k.file()));
      }
      Path kfile = root.resolve(ArtifactTree.join(dir, "kustomization.yaml"));
      Files.createDirectories(kfile.getParent());
      Files.writeString(kfile, Mappers.JSON.writeValueAsString(content), StandardCharsets.UTF_8);
      String out = kustomize.build(root, dir.isEmpty() ? root : root.resolve(dir));
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

  /** What kustomize's output depends on: the artifact, the folder built, and the kustomization file written there. */
  private static String fingerprint(Map<String, byte[]> files, String dir, JsonNode kustomization) {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    for (Map.Entry<String, byte[]> f : new TreeMap<>(files).entrySet()) {
      md.update(f.getKey().getBytes(StandardCharsets.UTF_8));
      md.update((byte) 0);
      md.update(f.getValue());
      md.update((byte) 0);
    }
    md.update(dir.getBytes(StandardCharsets.UTF_8));
    md.update((byte) 0);
    md.update(kustomization.toString().getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(md.digest());
  }

  private static boolean wantsOrigin(JsonNode k) {
    for (JsonNode option : k.path("buildMetadata")) {
      if ("originAnnotations".equals(option.asText())) {
        return true;
      }
    }
    return false;
  }

  /** One built document: its file from the origin kustomize noted, then the post-build stage. */
  private static Manifest object(String doc, String dir, String kfile, boolean keepOrigin, PostBuild postBuild) {
    List<JsonNode> parsed = Manifests.documents("kustomize output", doc);
    if (parsed.size() != 1 || !(parsed.get(0) instanceof ObjectNode object)) {
      throw BuildFailure.build("kustomize build failed: unexpected output: " + doc.lines().findFirst().orElse(""));
    }
    String file = origin(object, dir, kfile);
    ObjectNode result = postBuild.apply(object, doc);
    if (!keepOrigin) {
      JsonNode annotations = result.at("/metadata/annotations");
      if (annotations instanceof ObjectNode a) {
        a.remove(ORIGIN);
        if (a.isEmpty()) {
          ((ObjectNode) result.get("metadata")).remove("annotations");
        }
      }
    }
    if (result.path("apiVersion").asText("").isEmpty() || result.path("kind").asText("").isEmpty()
        || result.at("/metadata/name").asText("").isEmpty()) {
      throw BuildFailure.build("failed to decode Kubernetes apiVersion, kind and name from: " + doc.strip().replace('\n', ' '));
    }
    return new Manifest(result, file);
  }

  /** The artifact file an object was read from (or the kustomization that generated it). */
  private static String origin(JsonNode object, String dir, String kfile) {
    String origin = object.at("/metadata/annotations").path(ORIGIN).asText("");
    if (!origin.isEmpty()) {
      try {
        JsonNode o = Manifests.YAML.readTree(origin);
        String relative = o.path("path").asText(o.path("configuredIn").asText(""));
        String file = relative.isEmpty() || o.has("repo") ? null : ArtifactPaths.resolve(dir, relative);
        if (file != null) {
          return file;
        }
      } catch (IOException e) {
        LOG.debug("unreadable origin annotation {}", origin, e);
      }
    }
    return kfile;
  }

  /** Flux's commonMetadata: labels and annotations on every object's metadata, replacing same keys. */
  private static void commonMetadata(List<Manifest> objects, JsonNode common) {
    for (String field : List.of("labels", "annotations")) {
      if (common.path(field).isObject()) {
        for (Manifest m : objects) {
          ObjectNode target = m.object().with("metadata").with(field);
          common.path(field).fields().forEachRemaining(e -> target.put(e.getKey(), e.getValue().asText()));
        }
      }
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
