package dev.gitopsworkshop.sync.build;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.sync.source.ArtifactPaths;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kustomize-controller's build stage, as Flux runs it: the Kustomization's fields checked
 * ({@link KustomizationFields}), the path looked up in the artifact, Flux's
 * {@code kustomization.yaml} made ({@link KustomizationFile}) and its loads checked
 * ({@link LoadRules}), kustomize run through kubectl ({@link KustomizeRuns}; without kubectl,
 * {@link PlainBuild}), then {@code postBuild} ({@link PostBuild}) and {@code commonMetadata} on
 * every object. Each object keeps the artifact file it came from, for messages.
 */
public final class KustomizeBuild {
  private static final Logger LOG = LoggerFactory.getLogger(KustomizeBuild.class);
  private static final String ORIGIN = "config.kubernetes.io/origin";

  private final KustomizeRuns kustomize;
  private final ObjectReader cluster;

  /**
   * @param workDir where artifacts are unpacked for kustomize
   * @param kubectl kubectl, or empty to build without kustomize
   * @param cluster reads ConfigMaps, Secrets and ServiceAccounts (null when not found)
   */
  public KustomizeBuild(Path workDir, Optional<Path> kubectl, ObjectReader cluster) {
    this.kustomize = kubectl.map(k -> new KustomizeRuns(workDir, new KubectlKustomize(k))).orElse(null);
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
    KustomizeRuns.Input in = input(ks, files);
    List<Manifest> built = new ArrayList<>();
    PostBuild postBuild = new PostBuild(ks, cluster);
    if (kustomize == null) {
      for (Manifests.Text t : PlainBuild.build(in.tree(), in.dir(), spec)) {
        // without kustomize's rendering, variables are substituted in the document as written
        built.add(new Manifest(postBuild.apply(t.manifest().object(), t.yaml()), t.manifest().file()));
      }
    } else {
      for (String doc : kustomize.output(in)) {
        built.add(object(doc, in.dir(), in.k().file(), KustomizationFile.asksForOrigins(in.k().content()), postBuild));
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
    kustomize.prepare(() -> input(ks, files));
  }

  /** Stops preparing builds. */
  public void close() {
    if (kustomize != null) {
      kustomize.close();
    }
  }

  private static KustomizeRuns.Input input(JsonNode ks, Map<String, byte[]> files) {
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
    return new KustomizeRuns.Input(dir, tree, k);
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
}
