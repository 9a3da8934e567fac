package dev.gitopsworkshop.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitopsworkshop.WorkshopException;
import dev.gitopsworkshop.kube.KubeKind;
import dev.gitopsworkshop.demo.DemoLab.Podinfo;
import dev.gitopsworkshop.demo.Timeline.Kind;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * {@code demo disaster}, the seed's "what if the production cluster fails?": the lab's cluster is
 * thrown away and a new, empty one takes its place; the operator is installed again from the
 * workshop repository's own {@code flux/}, and everything converges back from Git, with timings.
 * Git is not touched: nothing of what it holds is lost.
 */
public final class DisasterDemo {
  /** How long the cluster took to converge back from Git, and how many objects came back. */
  public record Result(double converged, int objects) {}

  private final DemoLab lab;
  private final Timeline timeline;
  private final Duration timeout;

  public DisasterDemo(DemoLab lab, Timeline timeline, Duration timeout) {
    this.lab = lab;
    this.timeline = timeline;
    this.timeout = timeout;
  }

  /**
   * A cluster the lab did not create (kubeconfig mode) is someone else's: the demo may only delete
   * what the lab put there, and only when told so.
   */
  static void requireConsent(String mode, boolean yesDeleteNamespace) {
    if ("kubeconfig".equals(mode) && !yesDeleteNamespace) {
      throw WorkshopException.usage(
          "this lab uses an existing cluster (kubeconfig mode): the disaster demo would delete what the lab created there",
          "add --yes-delete-namespace to let it delete the namespaces and objects the lab and Flux created (nothing else)");
    }
  }

  public Result run(boolean yesDeleteNamespace) {
    requireConsent(lab.lab().clusterMode(), yesDeleteNamespace);
    Podinfo p = lab.requirePodinfoSynced();
    JsonNode ks = lab.kustomization(p).orElseThrow();
    List<String> inventory = new ArrayList<>();
    ks.at("/status/inventory/entries").forEach(e -> inventory.add(e.path("id").asText() + "|" + e.path("v").asText()));
    String head = DemoGit.head(lab.lab());
    timeline.say(Kind.HEADING, "The cluster is lost. Git holds main at " + DemoGit.shortSha(head) + "; Flux had applied "
        + ks.at("/status/lastAppliedRevision").asText() + " (" + inventory.size() + " objects).");
    timeline.start();
    String replaced = lab.control().replaceCluster(yesDeleteNamespace);
    timeline.at(Kind.ACT, "cluster replaced: " + replaced);
    lab.reconnect();
    if (lab.deployment(p.namespace()).isEmpty()) {
      timeline.at(Kind.SEEN, "the new cluster has no podinfo and no Flux");
    }
    JsonNode applied = lab.control().restoreOperator();
    timeline.at(Kind.ACT, "operator installed again from Git's flux/: " + applied.size() + " objects (install.yaml, the Git "
        + "credentials, workshop-source.yaml, workshop-sync.yaml)");
    CompletableFuture<Double> ready = new CompletableFuture<>();
    try (Follow sources = Follow.objects(lab.kube(), Kinds.GIT_REPOSITORIES, p.kustomizationNamespace(), (type, o) -> {
          String revision = o.at("/status/artifact/revision").asText("");
          if (!revision.isEmpty()) {
            timeline.once("fetched", Kind.SEEN, "source fetched: gitrepository/" + o.at("/metadata/name").asText() + " at " + revision);
          }
        });
        Follow kustomizations = Follow.objects(lab.kube(), Kinds.KUSTOMIZATIONS, p.kustomizationNamespace(), (type, o) -> {
          String revision = o.at("/status/lastAppliedRevision").asText("");
          if (p.kustomization().equals(o.at("/metadata/name").asText()) && !revision.isEmpty()) {
            timeline.once("applied", Kind.SEEN, "applied: kustomization/" + p.kustomization() + " at " + revision + ", "
                + o.at("/status/inventory/entries").size() + " objects");
          }
        });
        Follow deployments = Follow.objects(lab.kube(), Kinds.DEPLOYMENTS, p.namespace(), (type, o) -> {
          if (DemoLab.PODINFO.equals(o.at("/metadata/name").asText()) && !type.equals("DELETED") && Rollouts.complete(o)
              && timeline.once("ready", Kind.SEEN, "pods Ready: podinfo " + Rollouts.describe(o))) {
            ready.complete(timeline.seconds());
          }
        })) {
      double seconds = Waits.await(ready, timeout, "podinfo back and Available in the new cluster",
          "see 'scripts/workshop status': the Flux objects' Ready messages say what is missing");
      int back = countBack(inventory);
      timeline.at(Kind.SEEN, "everything Flux had applied is back: " + back + " of " + inventory.size() + " objects");
      String after = DemoGit.head(lab.lab());
      timeline.at(after.equals(head) ? Kind.SEEN : Kind.FAIL, after.equals(head)
          ? "Git untouched: main still at " + DemoGit.shortSha(head) + ", nothing of what it holds was lost"
          : "Git moved meanwhile: main is now at " + DemoGit.shortSha(after));
      if (back < inventory.size()) {
        throw new WorkshopException("only " + back + " of " + inventory.size() + " objects came back",
            "see 'scripts/workshop status' and the Kustomization's Ready message");
      }
      timeline.at(Kind.DONE, "converged back from Git in " + Timeline.duration(seconds));
      return new Result(seconds, back);
    }
  }

  /** How many of the inventory's objects ({@code <ns>_<name>_<group>_<Kind>|<version>}) exist now. */
  private int countBack(List<String> inventory) {
    int back = 0;
    for (String entry : inventory) {
      String[] id = entry.substring(0, entry.indexOf('|')).split("_", -1);
      String version = entry.substring(entry.indexOf('|') + 1);
      if (id.length != 4) {
        continue;
      }
      Optional<KubeKind> kind = lab.kube().kind(id[2].isEmpty() ? version : id[2] + "/" + version, id[3]);
      if (kind.isEmpty()) {
        continue;
      }
      back += lab.kube().get(kind.get(), kind.get().namespaced() ? id[0] : null, id[1]) != null ? 1 : 0;
    }
    return back;
  }
}
