package dev.gitopsworkshop.sync.image;

import dev.gitopsworkshop.kube.Kube;
import dev.gitopsworkshop.sync.FluxKinds;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.sync.Events;
import dev.gitopsworkshop.sync.FluxStatus;
import dev.gitopsworkshop.sync.GitFetcher;
import dev.gitopsworkshop.sync.GitSecret;
import dev.gitopsworkshop.sync.Reconciler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

/**
 * The embedded image-automation-controller: for each ImageUpdateAutomation it checks out the
 * branch of its GitRepository, rewrites the lines under {@code spec.update.path} that carry a
 * setter marker of a selected ImagePolicy (Setters strategy), commits as
 * {@code spec.git.commit.author} with the message template, and pushes to
 * {@code spec.git.push.branch} (default: the checkout branch) with the GitRepository's
 * credentials. Nothing to change: no commit. It runs at its interval and whenever a policy in its
 * namespace resolves a new tag.
 */
final class ImageUpdateAutomationController extends Reconciler {
  static final String COMPONENT = "image-automation-controller";
  private final GitUpdate git;

  ImageUpdateAutomationController(Kube api, GitUpdate git) {
    super(api, "image-update-automations");
    this.git = git;
    watch(ImageKinds.IMAGE_UPDATE_AUTOMATION, this::whenSpecOrRequestChanged);
    watch(ImageKinds.IMAGE_POLICY, this::automationsBeside);
  }

  /** A policy changed: the automations of its namespace may have something to write. */
  private List<String> automationsBeside(JsonNode policy) {
    String ns = policy.at("/metadata/namespace").asText();
    return api.list(ImageKinds.IMAGE_UPDATE_AUTOMATION).stream()
        .filter(a -> ns.equals(a.at("/metadata/namespace").asText())).map(Reconciler::key).toList();
  }

  @Override
  protected long reconcile(String namespace, String name) {
    JsonNode auto = api.get(ImageKinds.IMAGE_UPDATE_AUTOMATION, namespace, name);
    if (auto == null || auto.at("/spec/suspend").asBoolean(false)) {
      return -1;
    }
    long interval = FluxStatus.intervalMillis(auto);
    JsonNode spec = auto.path("spec");
    String sourceKind = spec.at("/sourceRef/kind").asText("GitRepository");
    String sourceNs = spec.at("/sourceRef/namespace").asText(namespace);
    String sourceName = spec.at("/sourceRef/name").asText("");
    if (!sourceKind.equals("GitRepository")) {
      return fail(auto, "InvalidSourceRef", "spec.sourceRef.kind must be GitRepository, not " + sourceKind, -1);
    }
    JsonNode repo = sourceName.isEmpty() ? null : api.get(FluxKinds.GIT_REPOSITORY, sourceNs, sourceName);
    if (repo == null) {
      return fail(auto, "SourceNotFound", sourceName.isEmpty() ? "spec.sourceRef.name is missing"
          : "referenced GitRepository " + sourceNs + "/" + sourceName + " not found", 10_000);
    }
    String authorName = spec.at("/git/commit/author/name").asText("");
    String authorEmail = spec.at("/git/commit/author/email").asText("");
    if (authorEmail.isEmpty()) {
      return fail(auto, "InvalidSpec", "spec.git.commit.author.email is required (the automation's commits need an author)", -1);
    }
    Path updatePath = Path.of(spec.at("/update/path").asText("./")).normalize();
    if (updatePath.isAbsolute() || updatePath.startsWith("..")) {
      return fail(auto, "InvalidSpec", "spec.update.path '" + spec.at("/update/path").asText() + "' must stay inside the repository", -1);
    }
    String branch = spec.at("/git/checkout/ref/branch").asText(repo.at("/spec/ref/branch").asText("main"));
    String pushBranch = spec.at("/git/push/branch").asText(branch);
    Map<String, Setters.Ref> policies = selectedPolicies(namespace, spec.path("policySelector"));
    String template = spec.at("/git/commit/messageTemplate").asText("");
    GitUpdate.Outcome outcome;
    try {
      UsernamePasswordCredentialsProvider credentials = GitSecret.credentials(api, sourceNs, repo);
      int timeout = (int) Math.max(1, FluxStatus.durationMillis(repo.at("/spec/timeout").asText(""), 60_000) / 1000);
      outcome = git.run(repo.at("/spec/url").asText(), branch, pushBranch, credentials,
          new PersonIdent(authorName.isEmpty() ? authorEmail : authorName, authorEmail),
          changes -> CommitMessage.render(template, namespace + "/" + name, changes),
          worktree -> rewrite(worktree, updatePath, policies), timeout);
    } catch (GitFetcher.FetchFailure e) {
      return fail(auto, e.reason, e.getMessage(), Math.min(interval, 10_000));
    } catch (GitUpdate.GitFailure e) {
      return fail(auto, e.reason, e.getMessage(), Math.min(interval, 10_000));
    } catch (CommitMessage.TemplateFailure e) {
      return fail(auto, "InvalidCommitTemplate", e.getMessage(), -1);
    }
    ObjectNode status = FluxStatus.handled(auto);
    status.put("lastAutomationRunTime", FluxStatus.now());
    ObjectNode observed = status.putObject("observedPolicies");
    policies.forEach((key, ref) -> observed.putObject(key.substring(key.indexOf(':') + 1)).put("name", ref.name()).put("tag", ref.tag()));
    status.put("observedSourceRevision", branch + "@sha1:" + (outcome.pushedCommit() != null ? outcome.pushedCommit() : outcome.head()));
    String message;
    if (outcome.pushedCommit() != null) {
      status.put("lastPushCommit", outcome.pushedCommit());
      status.put("lastPushTime", FluxStatus.now());
      message = "pushed commit '" + outcome.pushedCommit().substring(0, 7) + "' to branch '" + pushBranch + "'\n"
          + outcome.message();
    } else {
      for (String kept : List.of("lastPushCommit", "lastPushTime")) {
        if (auto.at("/status/" + kept).isTextual()) {
          status.put(kept, auto.at("/status/" + kept).asText());
        }
      }
      message = "repository up-to-date";
    }
    status.set("conditions", FluxStatus.conditions(FluxStatus.condition("Ready", true, "Succeeded", message, auto)));
    api.patchStatus(ImageKinds.IMAGE_UPDATE_AUTOMATION, namespace, name, FluxStatus.statusPatch(status));
    if (outcome.pushedCommit() != null) {
      Events.record(api, auto, "Normal", "Succeeded", message, COMPONENT);
    }
    return interval;
  }

  /** The Ready policies of the namespace that the selector picks (all when there is none), as {@code namespace:name}. */
  private Map<String, Setters.Ref> selectedPolicies(String namespace, JsonNode selector) {
    Map<String, Setters.Ref> refs = new LinkedHashMap<>();
    for (JsonNode p : api.list(ImageKinds.IMAGE_POLICY)) {
      if (!namespace.equals(p.at("/metadata/namespace").asText()) || !Selector.matches(selector, p.at("/metadata/labels"))) {
        continue;
      }
      String tag = p.at("/status/latestRef/tag").asText("");
      String image = p.at("/status/latestRef/name").asText("");
      if (!tag.isEmpty() && !image.isEmpty()) {
        refs.put(namespace + ":" + p.at("/metadata/name").asText(), new Setters.Ref(image, tag));
      }
    }
    return refs;
  }

  /** Applies the setters to every YAML file under {@code path}, writing back only files that changed. */
  private static List<Setters.Change> rewrite(Path worktree, Path path, Map<String, Setters.Ref> policies) throws IOException {
    List<Setters.Change> changes = new ArrayList<>();
    Path root = worktree.resolve(path).normalize();
    if (policies.isEmpty() || !Files.isDirectory(root)) {
      return changes;
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(root)) {
      files = walk.filter(f -> !worktree.relativize(f).startsWith(".git"))
          .filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted().toList();
    }
    for (Path f : files) {
      String content = Files.readString(f, StandardCharsets.UTF_8);
      Setters.Result result = Setters.apply(worktree.relativize(f).toString(), content, policies);
      if (!result.changes().isEmpty()) {
        Files.writeString(f, result.content(), StandardCharsets.UTF_8);
        changes.addAll(result.changes());
      }
    }
    return changes;
  }

  private long fail(JsonNode auto, String reason, String message, long again) {
    reportFailure(auto, reason, message);
    Failures.report(api, ImageKinds.IMAGE_UPDATE_AUTOMATION, auto,
        List.of("lastAutomationRunTime", "lastPushCommit", "lastPushTime", "observedPolicies", "observedSourceRevision"), reason, message, COMPONENT);
    return again;
  }
}
