package dev.gitopsworkshop.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.Mappers;
import dev.gitopsworkshop.git.Account;
import dev.gitopsworkshop.kube.Kube;
import dev.gitopsworkshop.kube.KubeKind;
import dev.gitopsworkshop.state.DataDir;
import dev.gitopsworkshop.sync.build.Manifest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seed's "what if the production cluster fails?": once the operator has been configured in a
 * lab, the data dir remembers it; a lab started again on a new, empty cluster installs the operator
 * from the workshop repository's own {@code flux/} (install manifest, credentials, sync
 * configuration) and Flux brings back everything else from Git. Nothing is done by hand.
 */
public final class OperatorBootstrap {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorBootstrap.class);
  static final String MARKER = "operator.json";
  /** How long a new cluster may take to serve the install's kinds. */
  static final Duration CRD_WAIT = Duration.ofSeconds(60);
  private static final List<String> FILES = List.of("flux/install.yaml", "flux/workshop-source.yaml", "flux/workshop-sync.yaml");

  private OperatorBootstrap() {}

  /** Remembers that this lab's operator follows the workshop repository. */
  public static void remember(DataDir dir, JsonNode kustomization) {
    Path marker = dir.resolve(MARKER);
    if (Files.exists(marker)) {
      return;
    }
    try {
      ObjectNode m = Mappers.JSON.createObjectNode();
      m.put("kustomization", kustomization.at("/metadata/namespace").asText() + "/" + kustomization.at("/metadata/name").asText());
      DataDir.writeAtomically(marker, Mappers.write(m) + "\n", false);
    } catch (IOException e) {
      LOG.warn("cannot write {} (the next sync tries again)", marker, e);
    }
  }

  public static boolean remembered(DataDir dir) {
    return Files.exists(dir.resolve(MARKER));
  }

  /**
   * Applies the operator from the repository's main branch: the install manifest, then the
   * credentials Secret (from the lab, never from Git), then the sync configuration.
   *
   * @return what was applied, one line each
   */
  public static List<String> restore(Kube kube, Path bareRepository, Account operator) throws IOException {
    List<String> applied = new ArrayList<>();
    Manifests manifests = read(bareRepository);
    applyAll(kube, manifests.install(), applied);
    // the sync configuration's kinds are the install's CRDs: a real API server serves them a moment later
    for (ObjectNode o : manifests.install()) {
      if ("CustomResourceDefinition".equals(o.path("kind").asText())) {
        String name = o.at("/metadata/name").asText();
        CrdEstablished.await(name, () -> kube.find("apiextensions.k8s.io/v1", "CustomResourceDefinition", null, name).orElse(null),
            CRD_WAIT, line -> LOG.info(line));
      }
    }
    ObjectNode secret = Mappers.JSON.createObjectNode();
    secret.put("apiVersion", "v1");
    secret.put("kind", "Secret");
    secret.putObject("metadata").put("name", "workshop-git").put("namespace", "flux-system");
    secret.put("type", "Opaque");
    secret.putObject("data")
        .put("username", Base64.getEncoder().encodeToString(operator.username().getBytes(StandardCharsets.UTF_8)))
        .put("password", Base64.getEncoder().encodeToString(operator.password().getBytes(StandardCharsets.UTF_8)));
    kube.apply(FluxKinds.SECRET, secret, "gitops-workshop", false);
    applied.add("Secret/flux-system/workshop-git");
    applyAll(kube, manifests.sync(), applied);
    return applied;
  }

  private record Manifests(List<ObjectNode> install, List<ObjectNode> sync) {}

  private static Manifests read(Path bare) throws IOException {
    List<ObjectNode> install = new ArrayList<>();
    List<ObjectNode> sync = new ArrayList<>();
    try (Repository repo = new FileRepositoryBuilder().setGitDir(bare.toFile()).setMustExist(true).build();
        RevWalk walk = new RevWalk(repo)) {
      ObjectId head = repo.resolve("refs/heads/main");
      if (head == null) {
        throw new IOException("the workshop repository has no main branch");
      }
      for (String file : FILES) {
        try (TreeWalk tree = TreeWalk.forPath(repo, file, walk.parseCommit(head).getTree())) {
          if (tree == null) {
            throw new IOException("the workshop repository's main branch has no " + file);
          }
          byte[] content = repo.open(tree.getObjectId(0)).getBytes();
          List<ObjectNode> target = file.equals("flux/install.yaml") ? install : sync;
          for (Manifest m : dev.gitopsworkshop.sync.build.Manifests.parse(file, content)) {
            target.add(m.object());
          }
        }
      }
    }
    return new Manifests(install, sync);
  }

  private static void applyAll(Kube kube, List<ObjectNode> objects, List<String> applied) {
    List<ObjectNode> ordered = new ArrayList<>(objects);
    ordered.sort((a, b) -> Integer.compare(rank(a), rank(b)));
    for (ObjectNode o : ordered) {
      String kind = o.path("kind").asText();
      String ns = o.at("/metadata/namespace").asText("");
      String name = o.at("/metadata/name").asText();
      KubeKind r = kube.kind(o.path("apiVersion").asText(), kind)
          .orElseThrow(() -> new IllegalStateException("the cluster does not know " + kind));
      kube.apply(r, o, "gitops-workshop", false);
      applied.add(kind + "/" + (ns.isEmpty() ? "" : ns + "/") + name);
    }
  }

  private static int rank(JsonNode o) {
    return switch (o.path("kind").asText()) {
      case "Namespace" -> 0;
      case "CustomResourceDefinition" -> 1;
      default -> 2;
    };
  }
}
