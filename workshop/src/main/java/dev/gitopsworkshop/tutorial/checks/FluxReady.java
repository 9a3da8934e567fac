package dev.gitopsworkshop.tutorial.checks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitopsworkshop.tutorial.TutorialContext;
import dev.gitopsworkshop.tutorial.model.Check;
import dev.gitopsworkshop.tutorial.model.CheckResult;
import java.util.List;

/**
 * {@code fluxReady}: a GitRepository or Kustomization is Ready at the revision {@code main} has on
 * the Git server now ({@code main@sha1:<sha>}): the operator caught up with Git.
 */
public record FluxReady(String kind, String namespace, String name) implements Check.OfState {
  public static final List<String> KINDS = List.of("GitRepository", "Kustomization");

  private String apiVersion() {
    return kind.equals("GitRepository") ? "source.toolkit.fluxcd.io/v1" : "kustomize.toolkit.fluxcd.io/v1";
  }

  @Override
  public CheckResult evaluate(TutorialContext c) {
    String head;
    try {
      head = "main@sha1:" + c.git().head().name();
    } catch (Exception e) {
      return CheckResult.of(false, describe(), "Ready at Git's HEAD", "cannot read Git's HEAD: " + e.getMessage())
          .hinting("is the lab's Git server running? ('" + c.fill("{{workshop status}}") + "')");
    }
    JsonNode o = ClusterChecks.get(c, apiVersion(), kind, namespace, name);
    String expected = "Ready=True at " + head;
    if (o == null) {
      return CheckResult.of(false, describe(), expected, "no such " + kind)
          .hinting("'kubectl -n " + namespace + " get " + kind.toLowerCase() + "s': was it applied?");
    }
    String ready = "Unknown";
    String message = "";
    for (JsonNode cond : o.at("/status/conditions")) {
      if ("Ready".equals(cond.path("type").asText())) {
        ready = cond.path("status").asText();
        message = cond.path("message").asText();
      }
    }
    String revision = kind.equals("GitRepository")
        ? o.at("/status/artifact/revision").asText("") : o.at("/status/lastAppliedRevision").asText("");
    boolean ok = "True".equals(ready) && head.equals(revision);
    return CheckResult.of(ok, describe(), expected,
            "Ready=" + ready + " at " + (revision.isEmpty() ? "no revision" : revision) + (message.isEmpty() ? "" : " (" + message + ")"))
        .hinting("'kubectl -n " + namespace + " describe " + kind.toLowerCase() + " " + name + "' tells what the operator did last");
  }

  @Override
  public String describe() {
    return kind + " " + namespace + "/" + name + " is Ready at Git's HEAD";
  }

  @Override
  public List<Kind> watches() {
    return List.of(new Kind(apiVersion(), kind));
  }
}
