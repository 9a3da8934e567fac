package dev.gitopsworkshop.tutorial.checks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitopsworkshop.tutorial.TutorialContext;
import dev.gitopsworkshop.tutorial.model.Check;
import dev.gitopsworkshop.tutorial.model.CheckResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code imageUpdated}: image automation closed the loop. The ImagePolicy has chosen a tag
 * ({@code status.latestRef}); the file on main in Git names exactly that image; and the Deployment
 * runs it, rolled out. It reads only Flux's status, Git and the Deployment, so it holds the same
 * way on real Flux as on the embedded controllers.
 */
public record ImageUpdated(Ref policy, Ref deployment, String file) implements Check.OfState {
  private static final String IMAGE_API = "image.toolkit.fluxcd.io/v1";

  /** An object by namespace and name. */
  public record Ref(String namespace, String name) {
    @Override
    public String toString() {
      return namespace + "/" + name;
    }
  }

  @Override
  public CheckResult evaluate(TutorialContext c) {
    JsonNode p = ClusterChecks.get(c, IMAGE_API, "ImagePolicy", policy.namespace(), policy.name());
    if (p == null) {
      return fail("no ImagePolicy " + policy + " yet", "push the image objects (the examples file) into deploy/kubernetes");
    }
    String tag = p.at("/status/latestRef/tag").asText("");
    String name = p.at("/status/latestRef/name").asText("");
    if (tag.isEmpty()) {
      String ready = readyMessage(p);
      return fail("the ImagePolicy has chosen no tag yet" + (ready.isEmpty() ? "" : ": " + ready),
          "'kubectl -n " + policy.namespace() + " get imagerepositories,imagepolicies' shows what the reflector sees");
    }
    String image = name + ":" + tag;
    Optional<String> content;
    try {
      content = c.git().read(file);
    } catch (Exception e) {
      return fail("cannot read Git: " + e.getMessage(), null);
    }
    if (content.isEmpty()) {
      return fail(file + " is not on main", "the step edits " + file + ": is it pushed?");
    }
    if (!content.get().contains(image)) {
      boolean marked = content.get().contains("\"$imagepolicy\": \"" + policy.namespace() + ":" + policy.name());
      return fail("the policy chose " + image + ", but " + file + " on main does not name it yet",
          marked ? "the automation commits it: 'kubectl -n " + policy.namespace() + " get imageupdateautomations' shows its last run"
              : "mark podinfo's image line with # {\"$imagepolicy\": \"" + policy.namespace() + ":" + policy.name() + "\"} and push");
    }
    JsonNode d = ClusterChecks.get(c, "apps/v1", "Deployment", deployment.namespace(), deployment.name());
    if (d == null) {
      return fail("no Deployment " + deployment, "has the operator applied it?");
    }
    List<String> images = new ArrayList<>();
    d.at("/spec/template/spec/containers").forEach(ct -> images.add(ct.path("image").asText()));
    int desired = d.at("/spec/replicas").asInt(1);
    boolean current = d.at("/status/observedGeneration").asLong(0) >= d.at("/metadata/generation").asLong(1);
    boolean rolledOut = current && d.at("/status/updatedReplicas").asInt(0) == desired
        && d.at("/status/availableReplicas").asInt(0) == desired && d.at("/status/replicas").asInt(0) == desired;
    boolean runs = images.contains(image);
    boolean ok = runs && rolledOut;
    String observed = "policy chose " + image + "; Git names it; the Deployment runs " + String.join(", ", images)
        + (rolledOut ? ", rolled out" : ", rollout in progress" + ClusterChecks.DeploymentAvailable.waiting(c, d));
    return CheckResult.of(ok, describe(), expected(), observed)
        .hinting(runs ? "'kubectl rollout status deployment/" + deployment.name() + " -n " + deployment.namespace() + "' follows the rollout"
            : "the operator applies the automation's commit once it fetched it: 'kubectl -n flux-system get kustomizations'");
  }

  private static String readyMessage(JsonNode p) {
    for (JsonNode cond : p.at("/status/conditions")) {
      if ("Ready".equals(cond.path("type").asText())) {
        return cond.path("message").asText("");
      }
    }
    return "";
  }

  private CheckResult fail(String observed, String hint) {
    CheckResult r = CheckResult.of(false, describe(), expected(), observed);
    return hint == null ? r : r.hinting(hint);
  }

  private String expected() {
    return "the ImagePolicy's latest image in Git and running";
  }

  @Override
  public String describe() {
    return "ImagePolicy " + policy + "'s choice is in " + file + " on main and Deployment " + deployment + " runs it, rolled out";
  }

  @Override
  public List<Kind> watches() {
    return List.of(new Kind(IMAGE_API, "ImagePolicy"), new Kind("apps/v1", "Deployment"));
  }
}
