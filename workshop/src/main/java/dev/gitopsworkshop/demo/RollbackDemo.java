package dev.gitopsworkshop.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitopsworkshop.WorkshopException;
import dev.gitopsworkshop.demo.DemoLab.Podinfo;
import dev.gitopsworkshop.demo.Timeline.Kind;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
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
    String badImage = withTag(goodImage, badTag);
    if (badImage.equals(goodImage)) {
      throw WorkshopException.usage("podinfo already runs " + goodImage, "choose another --bad-tag");
    }
    try (DemoGit git = DemoGit.open(lab.lab(), lab.dataDir().resolve("demos/rollback"))) {
      String file = fileSetting(git.root(), ks.at("/spec/path").asText("."), goodImage);

      timeline.say(Kind.HEADING, "Act 1: push a bad change (podinfo " + badTag + ", a tag that was never released)");
      timeline.start();
      Path path = git.root().resolve(file);
      write(path, read(path).replace("image: " + goodImage, "image: " + badImage));
      RevCommit bad = git.commitAll("Update podinfo to " + badTag);
      git.push();
      timeline.at(Kind.ACT, "pushed " + DemoGit.shortSha(bad.name()) + " \"" + bad.getShortMessage() + "\" (" + file + ")");
      double failedAfter = watchFailure(p, bad.name(), badImage, goodImage);

      timeline.say(Kind.HEADING, "");
      timeline.say(Kind.HEADING, "Act 2: find the last good version");
      String healthyImage = rolloutHistory(p, badImage, goodImage);
      timeline.say(Kind.SEEN, "Flux had applied " + appliedBefore + " before the bad push, with podinfo Available");
      List<RevCommit> history = git.log(file);
      timeline.say(Kind.SEEN, "git log -- " + file + ":");
      RevCommit lastGood = null;
      List<RevCommit> toRevert = new ArrayList<>();
      for (RevCommit c : history) {
        String image = imageIn(git.fileAt(c, file));
        boolean good = lastGood == null && healthyImage.equals(image);
        timeline.say(Kind.SEEN, "  " + DemoGit.shortSha(c.name()) + " " + c.getShortMessage() + "  (" + image + ")"
            + (good ? "  <- last good: the image the cluster ran healthy" : ""));
        if (good) {
          lastGood = c;
        } else if (lastGood == null) {
          toRevert.add(c);
        }
      }
      if (lastGood == null) {
        throw new WorkshopException("no commit in " + file + "'s history sets " + healthyImage,
            "find the version by hand with 'git log -p -- " + file + "'");
      }

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

  /** Until a new pod shows the pull failure; seconds since the push. */
  private double watchFailure(Podinfo p, String badSha, String badImage, String goodImage) {
    CompletableFuture<Double> failing = new CompletableFuture<>();
    try (Follow ks = followApplied(p, badSha, " (Ready: Flux applied it; without spec.wait it does not judge the rollout)");
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
          "see 'kubectl get pods': the lab's kubelet should not find that tag");
      lab.deployment(p.namespace()).ifPresent(d -> timeline.at(Kind.FAIL, "rollout stuck: " + Rollouts.desired(d)
          + " new pod(s) wanted, " + ready(replicaSets(p, d), badImage) + " ready; the old pod keeps serving " + goodImage));
      return seconds;
    }
  }

  /** The cluster's rollout history (ReplicaSets and their images); the image of the newest one that ran healthy. */
  private String rolloutHistory(Podinfo p, String badImage, String fallback) {
    List<JsonNode> sets = replicaSets(p, lab.deployment(p.namespace()).orElseThrow());
    timeline.say(Kind.SEEN, "the cluster's rollout history (kubectl rollout history deployment/podinfo):");
    String healthy = null;
    for (JsonNode rs : sets) {
      String image = Rollouts.image(rs);
      int ready = rs.at("/status/readyReplicas").asInt(0);
      boolean pick = healthy == null && !image.equals(badImage) && ready > 0;
      timeline.say(Kind.SEEN, "  revision " + revision(rs) + ": " + image + ", " + ready + " ready" + (pick ? "  <- still serving" : ""));
      if (pick) {
        healthy = image;
      }
    }
    return healthy == null ? fallback : healthy;
  }

  /** The Deployment's ReplicaSets, newest revision first. */
  private List<JsonNode> replicaSets(Podinfo p, JsonNode deployment) {
    String uid = deployment.at("/metadata/uid").asText();
    List<JsonNode> sets = new ArrayList<>();
    for (GenericKubernetesResource rs : lab.kube().genericKubernetesResources(Kinds.REPLICA_SETS).inNamespace(p.namespace())
        .list().getItems()) {
      JsonNode node = Follow.JSON.valueToTree(rs);
      for (JsonNode owner : node.at("/metadata/ownerReferences")) {
        if (uid.equals(owner.path("uid").asText())) {
          sets.add(node);
        }
      }
    }
    sets.sort(Comparator.comparingLong(RollbackDemo::revision).reversed());
    return sets;
  }

  private static int ready(List<JsonNode> sets, String image) {
    return sets.stream().filter(rs -> image.equals(Rollouts.image(rs))).mapToInt(rs -> rs.at("/status/readyReplicas").asInt(0)).sum();
  }

  private static long revision(JsonNode rs) {
    return rs.at("/metadata/annotations").path("deployment.kubernetes.io/revision").asLong(0);
  }

  /** Until the Deployment runs the good image everywhere and no pod of the bad one is left; seconds since the push. */
  private double watchRecovery(Podinfo p, String revertSha, String badImage, String goodImage) {
    CompletableFuture<Double> done = new CompletableFuture<>();
    Set<String> badPods = ConcurrentHashMap.newKeySet();
    AtomicReference<JsonNode> deployment = new AtomicReference<>();
    Runnable check = () -> {
      JsonNode d = deployment.get();
      if (d != null && badPods.isEmpty() && goodImage.equals(Rollouts.image(d)) && Rollouts.complete(d)
          && timeline.once("rolled-back", Kind.SEEN, "rollout complete: " + Rollouts.describe(d) + " on " + goodImage
              + ", the failing pod is gone")) {
        done.complete(timeline.seconds());
      }
    };
    try (Follow ks = followApplied(p, revertSha, "");
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

  private Follow followApplied(Podinfo p, String sha, String note) {
    return Follow.objects(lab.kube(), Kinds.KUSTOMIZATIONS, p.kustomizationNamespace(), (type, o) -> {
      String revision = o.at("/status/lastAppliedRevision").asText("");
      if (p.kustomization().equals(o.at("/metadata/name").asText()) && revision.endsWith(sha)) {
        timeline.once("applied " + sha, Kind.SEEN, "applied: kustomization/" + p.kustomization() + " at " + revision + note);
      }
    });
  }

  /** The manifest under the Kustomization's path that sets podinfo's image to {@code image}. */
  private static String fileSetting(Path root, String ksPath, String image) {
    Path dir = root.resolve(ksPath).normalize();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).filter(f -> f.toString().matches(".*\\.ya?ml$")).sorted().toList()) {
        String text = read(f);
        if (text.contains("name: " + DemoLab.PODINFO) && text.contains("image: " + image)) {
          return root.relativize(f).toString();
        }
      }
    } catch (IOException e) {
      throw new WorkshopException("cannot read " + dir + ": " + e.getMessage(), null, e);
    }
    throw new WorkshopException("no file under " + ksPath + " in Git sets podinfo's image to " + image + " (what the cluster runs)",
        "bring Git and the cluster together first: 'scripts/workshop check 4'");
  }

  private static String imageIn(String manifest) {
    if (manifest == null) {
      return "(no file)";
    }
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^\\s*image:\\s*(\\S+)").matcher(manifest);
    return m.find() ? m.group(1) : "(no image)";
  }

  static String withTag(String image, String tag) {
    int at = image.indexOf('@');
    String base = at >= 0 ? image.substring(0, at) : image;
    int colon = base.lastIndexOf(':');
    return (colon > base.lastIndexOf('/') ? base.substring(0, colon) : base) + ":" + tag;
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new WorkshopException("cannot read " + p + ": " + e.getMessage(), null, e);
    }
  }

  private static void write(Path p, String text) {
    try {
      Files.writeString(p, text);
    } catch (IOException e) {
      throw new WorkshopException("cannot write " + p + ": " + e.getMessage(), null, e);
    }
  }
}
