package dev.gitopsworkshop.sync.image;

import dev.gitopsworkshop.kube.Kube;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.sync.Events;
import dev.gitopsworkshop.sync.FluxStatus;
import dev.gitopsworkshop.sync.Reconciler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The embedded image-reflector's scanner: for each ImageRepository it lists the image's tags from
 * its registry (or the lab's mirror of it) every {@code spec.interval}, drops those matching
 * {@code spec.exclusionList} (by default Flux's {@code ^.*\.sig$}), keeps them for the policies,
 * and writes Flux's status: {@code canonicalImageName}, {@code lastScanResult} (tag count, scan
 * time, the latest tags), Ready; or Ready=False with a plain reason when the registry cannot be
 * reached or the image name is wrong.
 */
final class ImageRepositoryController extends Reconciler {
  static final String COMPONENT = "image-reflector-controller";
  private static final List<String> DEFAULT_EXCLUSIONS = List.of("^.*\\.sig$");
  private final TagDatabase database;
  private final RegistryMirrors mirrors;
  private final RegistryClient registry = new RegistryClient(Duration.ofSeconds(5));

  ImageRepositoryController(Kube api, TagDatabase database, RegistryMirrors mirrors) {
    super(api, "image-repositories");
    this.database = database;
    this.mirrors = mirrors;
    watch(ImageKinds.IMAGE_REPOSITORY, this::whenSpecOrRequestChanged);
  }

  @Override
  protected long reconcile(String namespace, String name) {
    JsonNode repo = api.get(ImageKinds.IMAGE_REPOSITORY, namespace, name);
    if (repo == null || repo.at("/spec/suspend").asBoolean(false)) {
      return -1;
    }
    ImageName image;
    List<Pattern> exclusions;
    try {
      image = ImageName.parse(repo.at("/spec/image").asText(""));
      exclusions = exclusions(repo);
    } catch (IllegalArgumentException e) {
      fail(repo, "ImageURLInvalid", e.getMessage());
      return -1; // until the spec changes
    }
    Duration timeout = Duration.ofMillis(FluxStatus.durationMillis(repo.at("/spec/timeout").asText(""), 60_000));
    List<String> tags;
    try {
      String base = mirrors.baseUrl(image, repo.at("/spec/insecure").asBoolean(false));
      tags = registry.tags(base, image.repository(), timeout).stream()
          .filter(t -> exclusions.stream().noneMatch(p -> p.matcher(t).find())).toList();
    } catch (RegistryClient.ScanFailure e) {
      fail(repo, "ReadOperationFailed", "failed to scan " + image.canonical() + ": " + e.getMessage());
      return Math.min(FluxStatus.intervalMillis(repo), 10_000);
    }
    database.put(image.canonical(), tags);
    String revision = digest(tags);
    boolean changed = !revision.equals(repo.at("/status/lastScanResult/revision").asText(""));
    ObjectNode status = FluxStatus.handled(repo);
    status.put("canonicalImageName", image.canonical());
    ObjectNode scan = status.putObject("lastScanResult");
    scan.put("revision", revision);
    scan.put("scanTime", FluxStatus.now());
    scan.put("tagCount", tags.size());
    ArrayNode latest = scan.putArray("latestTags");
    tags.stream().sorted(Comparator.reverseOrder()).limit(10).forEach(latest::add);
    ArrayNode observed = status.putArray("observedExclusionList");
    exclusions.forEach(p -> observed.add(p.pattern()));
    String message = "successful scan: found " + tags.size() + " tags";
    status.set("conditions", FluxStatus.conditions(FluxStatus.condition("Ready", true, "Succeeded", message, repo)));
    api.patchStatus(ImageKinds.IMAGE_REPOSITORY, namespace, name, FluxStatus.statusPatch(status));
    if (changed) {
      Events.record(api, repo, "Normal", "Succeeded", message, COMPONENT);
    }
    return FluxStatus.intervalMillis(repo);
  }

  private static List<Pattern> exclusions(JsonNode repo) {
    JsonNode list = repo.at("/spec/exclusionList");
    List<String> patterns = new ArrayList<>();
    if (list.isArray()) {
      list.forEach(p -> patterns.add(p.asText()));
    } else {
      patterns.addAll(DEFAULT_EXCLUSIONS);
    }
    List<Pattern> compiled = new ArrayList<>();
    for (String p : patterns) {
      try {
        compiled.add(Pattern.compile(p));
      } catch (PatternSyntaxException e) {
        throw new IllegalArgumentException("spec.exclusionList has an invalid regular expression '" + p + "': " + e.getDescription());
      }
    }
    return compiled;
  }

  /** Ready=False with the reason; the last scan result stays, as Flux keeps it. */
  private void fail(JsonNode repo, String reason, String message) {
    reportFailure(repo, reason, message);
    Failures.report(api, ImageKinds.IMAGE_REPOSITORY, repo, List.of("canonicalImageName", "lastScanResult", "observedExclusionList"),
        reason, message, COMPONENT);
  }

  private static String digest(List<String> tags) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      tags.stream().sorted().forEach(t -> md.update((t + "\n").getBytes(StandardCharsets.UTF_8)));
      return "sha256:" + HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
