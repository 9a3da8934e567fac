package dev.gitopsworkshop.sync.source;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * What goes into a GitRepository's artifact besides the checkout, in source-controller's order:
 * only the {@code spec.sparseCheckout} folders, then each {@code spec.include} copied in (another
 * GitRepository's artifact, or a folder of it, at {@code toPath}), then the ignore rules applied
 * to the whole ({@link SourceIgnore}).
 */
public final class ArtifactContent {
  /** Content that cannot be composed: the reason, the condition it goes on, and the message. */
  public static final class Failure extends RuntimeException {
    public final String reason;
    public final String condition;

    Failure(String condition, String reason, String message) {
      super(message);
      this.condition = condition;
      this.reason = reason;
    }
  }

  private ArtifactContent() {}

  /** The checkout limited to the {@code spec.sparseCheckout} folders, each of which must exist. */
  public static Map<String, byte[]> sparse(Map<String, byte[]> files, JsonNode folders) {
    if (!folders.isArray() || folders.isEmpty()) {
      return files;
    }
    List<String> dirs = new ArrayList<>();
    for (JsonNode f : folders) {
      String dir = ArtifactPaths.clean(f.asText());
      if (!dir.isEmpty() && files.keySet().stream().noneMatch(p -> p.startsWith(dir + "/"))) {
        throw new Failure("FetchFailed", "GitOperationFailed", "failed to sparse checkout directories : sparse checkout dir '"
            + f.asText() + "' does not exist in repository (check spec.sparseCheckout)");
      }
      dirs.add(dir);
    }
    Map<String, byte[]> kept = new TreeMap<>();
    files.forEach((p, b) -> {
      if (dirs.stream().anyMatch(d -> d.isEmpty() || p.startsWith(d + "/"))) {
        kept.put(p, b);
      }
    });
    return kept;
  }

  /**
   * The files with each {@code spec.include} copied in; {@code artifacts} answers the files of a
   * GitRepository of the same namespace by name, null while it has no artifact.
   */
  public static Map<String, byte[]> include(Map<String, byte[]> files, JsonNode includes,
      Function<String, Map<String, byte[]>> artifacts) {
    if (!includes.isArray() || includes.isEmpty()) {
      return files;
    }
    Map<String, byte[]> all = new TreeMap<>(files);
    for (JsonNode include : includes) {
      String name = include.at("/repository/name").asText();
      Map<String, byte[]> included = artifacts.apply(name);
      if (included == null) {
        throw new Failure("IncludeUnavailable", "NoArtifact", "no artifact available for include '" + name + "'");
      }
      String from = ArtifactPaths.clean(include.path("fromPath").asText(""));
      String to = ArtifactPaths.clean(include.path("toPath").asText(name));
      if (to.isEmpty()) {
        throw new Failure("StorageOperationFailed", "IllegalPath", "path calculation for include '" + name
            + "' failed: toPath '" + include.path("toPath").asText() + "' is not a folder inside the artifact");
      }
      String prefix = from.isEmpty() ? "" : from + "/";
      boolean any = false;
      for (Map.Entry<String, byte[]> f : included.entrySet()) {
        if (f.getKey().startsWith(prefix)) {
          all.put(to + "/" + f.getKey().substring(prefix.length()), f.getValue());
          any = true;
        }
      }
      if (!any) {
        throw new Failure("StorageOperationFailed", "CopyFailure", "failed to copy '" + name + "' include from " + from + " to "
            + to + ": no such file or directory in its artifact (check spec.include's fromPath)");
      }
    }
    return all;
  }
}
