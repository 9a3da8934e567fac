package dev.gitopsworkshop.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitopsworkshop.WorkshopException;
import dev.gitopsworkshop.demo.DemoLab.Podinfo;
import dev.gitopsworkshop.demo.Timeline.Kind;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jgit.revwalk.RevCommit;

/**
 * {@code demo rollback}, the seed's "how to find the correct version to roll back to?": a bad
 * change is pushed (an image tag that does not exist), the room sees it fail (ErrImagePull, a stuck
 * rollout), the last good commit is found from the cluster's rollout history, what Flux applied
 * before and Git's history, the bad commit is reverted with {@code git revert}, and the cluster
 * follows. The audit trail is Git's log.
 */
public final class RollbackDemo {
  /** When the failure was seen (from the bad push), how long the rollback took (from the revert's push), and the two commits. */
  public record Result(double failedAfter, double rolledBackIn, String bad, String revert) {}

  private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
  private final DemoLab lab;
  private final Timeline timeline;
  private final Duration timeout;

  public RollbackDemo(DemoLab lab, Timeline timeline, Duration timeout) {
    this.lab = lab;
    this.timeline = timeline;
    this.timeout = timeout;
  }

  public Result run(String badTag) {
    Podinfo p = lab.requirePodinfoSynced();
    JsonNode ks = lab.kustomization(p).orElseThrow();
    String appliedBefore = ks.at("/status/lastAppliedRevision").asText();
    String goodImage = Rollouts.image(lab.deployment(p.namespace()).orElseThrow());
    String badImage = PodinfoManifest.withTag(goodImage, badTag);
    if (badImage.equals(goodImage)) {
      throw WorkshopException.usage("podinfo already runs " + goodImage, "choose another --bad-tag");
    }
    try (DemoGit git = DemoGit.open(lab.lab(), lab.dataDir().resolve("demos/rollback"))) {
      String file = PodinfoManifest.settingImage(git.root(), ks.at("/spec/path").asText("."), goodImage);

      timeline.say(Kind.HEADING, "Act 1: push a bad change (podinfo " + badTag + ", a tag that was never released)");
      timeline.start();
      PodinfoManifest.setImage(git.root().resolve(file), goodImage, badImage);
      RevCommit bad = git.commitAll("Update podinfo to " + badTag);
      git.push();
      timeline.at(Kind.ACT, "pushed " + DemoGit.shortSha(bad.name()) + " \"" + bad.getShortMessage() + "\" (" + file + ")");
      double failedAfter = watchFailure(p, bad.name(), badImage, goodImage);

      timeline.say(Kind.HEADING, "");
      timeline.say(Kind.HEADING, "Act 2: find the last good version");
      String healthyImage = rolloutHistory(p, badImage, goodImage);
      timeline.say(Kind.SEEN, "Flux had applied " + appliedBefore + " before the bad push, with podinfo Available");
      List<RevCommit> toRevert = sinceLastGood(git, file, healthyImage);

      timeline.say(Kind.HEADING, "");
      timeline.say(Kind.HEADING, "Act 3: roll back through Git (git revert, push)");
      timeline.start();
      RevCommit revert = null;
      for (RevCommit c : toRevert) {
        revert = git.revert(c);
        timeline.at(Kind.ACT, "git revert --no-edit " + DemoGit.shortSha(c.name()) + ": " + DemoGit.shortSha(revert.name()) + " \""
            + revert.getShortMessage() + "\"");
      }
      git.push();
      timeline.at(Kind.ACT, "pushed " + DemoGit.shortSha(revert.name()));
      double rolledBack = watchRecovery(p, revert.name(), badImage, healthyImage);
      timeline.at(Kind.DONE, "rolled back in " + Timeline.duration(rolledBack) + " (the failure showed "
          + Timeline.duration(failedAfter) + " after the bad push)");

      timeline.say(Kind.HEADING, "");
      timeline.say(Kind.HEADING, "The audit trail is Git's log (git log --oneline -3):");
      for (RevCommit c : git.recent(3)) {
        timeline.say(Kind.SEEN, "  " + DemoGit.shortSha(c.name()) + " " + WHEN.format(c.getAuthorIdent().getWhenAsInstant()
            .atZone(ZoneId.systemDefault())) + " " + c.getAuthorIdent().getName() + ": " + c.getShortMessage());
      }
      return new Result(failedAfter, rolledBack, bad.name(), revert.name());
    }
  }

  /**
   * Walks the file's history back from main (git log), printing each commit's image, to the newest
   * commit that sets the image the cluster ran healthy: the last good one.
   *
   * @return the commits after it that changed the file, newest first: what to revert
   */
  private List<RevCommit> sinceLastGood(DemoGit git, String file, String healthyImage) {
    timeline.say(Kind.SEEN, "git log -- " + file + ":");
    RevCommit lastGood = null;
    List<RevCommit> toRevert = new ArrayList<>();
    for (RevCommit c : git.log(file)) {
      String image = PodinfoManifest.image(git.fileAt(c, file));
      boolean good = lastGood == null && healthyImage.equals(image);
      timeline.say(Kind.SEEN, "  " + DemoGit.shortSha(c.name()) + " " + c.getShortMessage() + "  (" + image + ")"
          + (good ? "  <- last good: the image the cluster ran healthy" : ""));
      if (good) {
        lastGood = c;
      } else if (lastGood == null) {
        toRevert.add(c);
      }
    }
    if (lastGood == null || toRevert.isEmpty()) {
      throw new WorkshopException(lastGood == null ? "no commit in " + file + "'s history sets " + healthyImage
          : "main already sets " + healthyImage + ": nothing to revert", "find the version by hand with 'git log -p -- " + file + "'");
    }
    return toRevert;
  }

  /** Until a new pod shows the pull failure; seconds since the push. */
  private double watchFailure(Podinfo p, String badSha, String badImage, String goodImage) {
    CompletableFuture<Double> failing = new CompletableFuture<>();
    try (Follow ks = followApplied(p, badSha, " (Ready: Flux applied it; without spec.wait it does not judge the rollout)", () -> {});
        Follow pods = Follow.objects(lab.kube(), Kinds.PODS, p.namespace(), (type, o) -> {
          if (type.equals("DELETED") || !badImage.equals(Rollouts.image(o))) {
            return;
          }
          JsonNode waiting = o.at("/status/containerStatuses/0/state/waiting");
          String reason = waiting.path("reason").asText("");
          if (reason.equals("ErrImagePull") || reason.equals("ImagePullBackOff")) {
            timeline.once(reason, Kind.FAIL, "pod/" + o.at("/metadata/name").asText() + ": " + reason + " ("
                + waiting.path("message").asText("") + ")");
            failing.complete(timeline.seconds());
          }
        })) {
      double seconds = Waits.await(failing, timeout, "a pull failure of " + badImage,
          "see 'kubectl get pods'; is that tag released after all? choose one its registry lacks with --bad-tag, "
              + "and put Git back with 'git revert' in " + lab.dataDir().resolve("demos/rollback"));
      lab.deployment(p.namespace()).ifPresent(d -> timeline.at(Kind.FAIL, "rollout stuck: " + Rollouts.desired(d)
          + " new pod(s) wanted, " + RolloutHistory.of(lab.kube().client(), d).ready(badImage) + " ready; the old pod keeps serving " + goodImage));
      return seconds;
    }
  }

  /** The cluster's rollout history, printed; the image of the newest revision that ran healthy. */
  private String rolloutHistory(Podinfo p, String badImage, String fallback) {
    RolloutHistory history = RolloutHistory.of(lab.kube().client(), lab.deployment(p.namespace()).orElseThrow());
    String healthy = history.healthyImage(badImage);
    timeline.say(Kind.SEEN, "the cluster's rollout history (kubectl rollout history deployment/podinfo):");
    for (JsonNode rs : history.revisions()) {
      String image = Rollouts.image(rs);
      boolean serving = image.equals(healthy) && RolloutHistory.ready(rs) > 0;
      timeline.say(Kind.SEEN, "  revision " + RolloutHistory.revision(rs) + ": " + image + ", " + RolloutHistory.ready(rs) + " ready"
          + (serving ? "  <- still serving" : ""));
    }
    return healthy == null ? fallback : healthy;
  }

  /** Until the Deployment runs the good image everywhere and no pod of the bad one is left; seconds since the push. */
  private double watchRecovery(Podinfo p, String revertSha, String badImage, String goodImage) {
    CompletableFuture<Double> done = new CompletableFuture<>();
    Set<String> badPods = ConcurrentHashMap.newKeySet();
    AtomicReference<JsonNode> deployment = new AtomicReference<>();
    Runnable check = () -> {
      JsonNode d = deployment.get();
      if (d != null && badPods.isEmpty() && goodImage.equals(Rollouts.image(d)) && Rollouts.complete(d)
          && timeline.said("applied " + revertSha)
          && timeline.once("rolled-back", Kind.SEEN, "rollout complete: " + Rollouts.describe(d) + " on " + goodImage
              + ", the failing pod is gone")) {
        done.complete(timeline.seconds());
      }
    };
    try (Follow ks = followApplied(p, revertSha, "", check);
        Follow pods = Follow.objects(lab.kube(), Kinds.PODS, p.namespace(), (type, o) -> {
          if (badImage.equals(Rollouts.image(o))) {
            if (type.equals("DELETED")) {
              badPods.remove(o.at("/metadata/name").asText());
            } else {
              badPods.add(o.at("/metadata/name").asText());
            }
          }
          check.run();
        });
        Follow deployments = Follow.objects(lab.kube(), Kinds.DEPLOYMENTS, p.namespace(), (type, o) -> {
          if (DemoLab.PODINFO.equals(o.at("/metadata/name").asText()) && !type.equals("DELETED")) {
            deployment.set(o);
            check.run();
          }
        })) {
      return Waits.await(done, timeout, "podinfo rolled back to " + goodImage,
          "see 'scripts/workshop status' and 'kubectl get pods'");
    }
  }

  /** Says when the Kustomization has applied that commit, then runs {@code then}. */
  private Follow followApplied(Podinfo p, String sha, String note, Runnable then) {
    return Follow.objects(lab.kube(), Kinds.KUSTOMIZATIONS, p.kustomizationNamespace(), (type, o) -> {
      String revision = o.at("/status/lastAppliedRevision").asText("");
      if (p.kustomization().equals(o.at("/metadata/name").asText()) && revision.endsWith(sha)) {
        timeline.once("applied " + sha, Kind.SEEN, "applied: kustomization/" + p.kustomization() + " at " + revision + note);
        then.run();
      }
    });
  }
}
