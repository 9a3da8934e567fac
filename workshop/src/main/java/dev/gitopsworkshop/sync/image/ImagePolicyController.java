package dev.gitopsworkshop.sync.image;

import dev.gitopsworkshop.kube.Kube;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.sync.Events;
import dev.gitopsworkshop.sync.FluxStatus;
import dev.gitopsworkshop.sync.Reconciler;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The embedded image-reflector's policy side: for each ImagePolicy it takes the tags of the
 * ImageRepository it references (from the last scan), applies {@code filterTags} and the policy
 * (semver range, alphabetical, numerical), and writes {@code status.latestRef} ({@code name},
 * {@code tag}) with Ready; Ready=False with a message when the policy is invalid, the repository
 * is not scanned yet, or no tag matches. It runs again whenever its repository's scan changes.
 */
final class ImagePolicyController extends Reconciler {
  private final TagDatabase database;

  ImagePolicyController(Kube api, TagDatabase database) {
    super(api, "image-policies");
    this.database = database;
    watch(ImageKinds.IMAGE_POLICY, this::whenSpecOrRequestChanged);
    watch(ImageKinds.IMAGE_REPOSITORY, this::policiesOf);
  }

  /** The policies that reference this repository. */
  private List<String> policiesOf(JsonNode repo) {
    String ns = repo.at("/metadata/namespace").asText();
    String name = repo.at("/metadata/name").asText();
    List<String> keys = new ArrayList<>();
    for (JsonNode policy : api.list(ImageKinds.IMAGE_POLICY)) {
      String policyNs = policy.at("/metadata/namespace").asText();
      if (name.equals(policy.at("/spec/imageRepositoryRef/name").asText())
          && ns.equals(policy.at("/spec/imageRepositoryRef/namespace").asText(policyNs))) {
        keys.add(key(policy));
      }
    }
    return keys;
  }

  @Override
  protected long reconcile(String namespace, String name) {
    JsonNode policy = api.get(ImageKinds.IMAGE_POLICY, namespace, name);
    if (policy == null || policy.at("/spec/suspend").asBoolean(false)) {
      return -1;
    }
    TagPolicy rule;
    try {
      rule = TagPolicy.from(policy.path("spec"));
    } catch (TagPolicy.InvalidPolicy e) {
      fail(policy, "InvalidPolicy", e.getMessage());
      return -1; // until the spec changes
    }
    String repoNs = policy.at("/spec/imageRepositoryRef/namespace").asText(namespace);
    String repoName = policy.at("/spec/imageRepositoryRef/name").asText("");
    JsonNode repo = repoName.isEmpty() ? null : api.get(ImageKinds.IMAGE_REPOSITORY, repoNs, repoName);
    if (repo == null) {
      fail(policy, "DependencyNotReady", repoName.isEmpty() ? "spec.imageRepositoryRef.name is missing"
          : "referenced ImageRepository " + repoNs + "/" + repoName + " not found");
      return -1; // the repository's arrival triggers a new run
    }
    String image = repo.at("/status/canonicalImageName").asText("");
    Optional<List<String>> tags = image.isEmpty() ? Optional.empty() : database.tags(image);
    if (tags.isEmpty()) {
      JsonNode ready = FluxStatus.find(repo, "Ready");
      fail(policy, "DependencyNotReady", "referenced ImageRepository " + repoNs + "/" + repoName + " has not been scanned"
          + (ready.path("status").asText().equals("False") ? ": " + ready.path("message").asText() : " yet"));
      return -1;
    }
    Optional<String> latest;
    try {
      latest = rule.latest(tags.get());
    } catch (TagPolicy.InvalidPolicy e) {
      fail(policy, "InvalidPolicy", e.getMessage());
      return -1;
    }
    if (latest.isEmpty()) {
      fail(policy, "ReconciliationFailed", "no tag of " + image + " matches the policy (" + rule.describe() + "; "
          + tags.get().size() + " tags scanned)");
      return -1;
    }
    String previous = policy.at("/status/latestRef/tag").asText("");
    String previousName = policy.at("/status/latestRef/name").asText("");
    boolean changed = !latest.get().equals(previous) || !image.equals(previousName);
    ObjectNode status = FluxStatus.handled(policy);
    long again = policy.at("/spec/interval").isTextual() ? FluxStatus.intervalMillis(policy) : -1;
    boolean acknowledged = status.path("lastHandledReconcileAt").asText("").equals(policy.at("/status/lastHandledReconcileAt").asText(""));
    if (!changed && acknowledged && FluxStatus.find(policy, "Ready").path("status").asText().equals("True")
        && policy.at("/status/observedGeneration").asLong() == policy.at("/metadata/generation").asLong(1)) {
      return again; // nothing new: no write, so the automation is not woken for nothing
    }
    status.putObject("latestRef").put("name", image).put("tag", latest.get());
    if (changed && !previous.isEmpty()) {
      status.putObject("observedPreviousRef").put("name", previousName).put("tag", previous);
    } else if (policy.at("/status/observedPreviousRef").isObject()) {
      status.set("observedPreviousRef", policy.at("/status/observedPreviousRef"));
    }
    String message = changed && !previous.isEmpty()
        ? "Latest image tag for " + image + " updated from " + previous + " to " + latest.get()
        : "Latest image tag for " + image + " resolved to " + latest.get();
    if (!changed) {
      message = FluxStatus.find(policy, "Ready").path("status").asText().equals("True")
          ? FluxStatus.find(policy, "Ready").path("message").asText(message) : message;
    }
    status.set("conditions", FluxStatus.conditions(FluxStatus.condition("Ready", true, "Succeeded", message, policy)));
    api.patchStatus(ImageKinds.IMAGE_POLICY, namespace, name, FluxStatus.statusPatch(status));
    if (changed) {
      Events.record(api, policy, "Normal", "Succeeded", message, ImageRepositoryController.COMPONENT);
    }
    return again;
  }

  private void fail(JsonNode policy, String reason, String message) {
    reportFailure(policy, reason, message);
    Failures.report(api, ImageKinds.IMAGE_POLICY, policy, List.of("latestRef", "observedPreviousRef"), reason, message,
        ImageRepositoryController.COMPONENT);
  }
}
