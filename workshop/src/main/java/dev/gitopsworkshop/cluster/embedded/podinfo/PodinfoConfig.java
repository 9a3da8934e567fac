package dev.gitopsworkshop.cluster.embedded.podinfo;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a podinfo container is configured, read from its pod as podinfo reads its flags and
 * environment: {@code --port} (or {@code PODINFO_PORT}, default 9898), {@code --port-metrics},
 * {@code --ui-message}/{@code PODINFO_UI_MESSAGE} (default "greetings from podinfo v&lt;version&gt;"),
 * {@code --ui-color}/{@code PODINFO_UI_COLOR} (default #34577c), {@code --ui-logo},
 * {@code --unready}, {@code --unhealthy}. A flag wins over the environment, as with podinfo's
 * viper. The version is the image's tag.
 */
public record PodinfoConfig(String hostname, String version, int port, int metricsPort, String message,
    String color, String logo, boolean unready, boolean unhealthy, Map<String, String> env) {

  static final String DEFAULT_LOGO = "https://raw.githubusercontent.com/stefanprodan/podinfo/gh-pages/cuddle_clap.gif";
  private static final List<String> REPOSITORIES =
      List.of("ghcr.io/stefanprodan/podinfo", "docker.io/stefanprodan/podinfo", "stefanprodan/podinfo",
          "index.docker.io/stefanprodan/podinfo");

  /** Whether an image is podinfo's (any tag, any of the registries it is published to). */
  public static boolean isPodinfo(String image) {
    return REPOSITORIES.contains(repository(image));
  }

  /** The image's tag ("latest" when it names none; "unknown" for a digest alone). */
  public static String tag(String image) {
    String noDigest = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
    int colon = noDigest.lastIndexOf(':');
    if (colon > noDigest.lastIndexOf('/')) {
      return noDigest.substring(colon + 1);
    }
    return image.contains("@") ? "unknown" : "latest";
  }

  private static String repository(String image) {
    String noDigest = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
    int colon = noDigest.lastIndexOf(':');
    return colon > noDigest.lastIndexOf('/') ? noDigest.substring(0, colon) : noDigest;
  }

  /** The configuration of {@code container} in {@code pod}. */
  public static PodinfoConfig of(JsonNode pod, JsonNode container) {
    String version = tag(container.path("image").asText());
    Map<String, String> env = new LinkedHashMap<>();
    env.put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
    env.put("HOSTNAME", pod.at("/metadata/name").asText());
    for (JsonNode e : container.path("env")) {
      String value = value(pod, e);
      if (value != null) {
        env.put(e.path("name").asText(), value);
      }
    }
    env.put("HOME", "/home/app");
    Map<String, String> flags = flags(container);
    String port = flags.getOrDefault("port", env.getOrDefault("PODINFO_PORT", "9898"));
    String metrics = flags.getOrDefault("port-metrics", env.getOrDefault("PODINFO_PORT_METRICS", "0"));
    String message = flags.getOrDefault("ui-message",
        env.getOrDefault("PODINFO_UI_MESSAGE", "greetings from podinfo v" + version));
    String color = flags.getOrDefault("ui-color", env.getOrDefault("PODINFO_UI_COLOR", "#34577c"));
    String logo = flags.getOrDefault("ui-logo", env.getOrDefault("PODINFO_UI_LOGO", DEFAULT_LOGO));
    boolean unready = truthy(flags.getOrDefault("unready", env.get("PODINFO_UNREADY")));
    boolean unhealthy = truthy(flags.getOrDefault("unhealthy", env.get("PODINFO_UNHEALTHY")));
    return new PodinfoConfig(pod.at("/metadata/name").asText(), version, number(port, 9898), number(metrics, 0),
        message, color, logo, unready, unhealthy, env);
  }

  /** The ports this podinfo answers HTTP on. */
  public List<Integer> ports() {
    List<Integer> out = new ArrayList<>(List.of(port));
    if (metricsPort > 0 && metricsPort != port) {
      out.add(metricsPort);
    }
    return out;
  }

  private static String value(JsonNode pod, JsonNode env) {
    if (env.has("value")) {
      return env.path("value").asText();
    }
    String field = env.at("/valueFrom/fieldRef/fieldPath").asText("");
    return switch (field) {
      case "metadata.name" -> pod.at("/metadata/name").asText();
      case "metadata.namespace" -> pod.at("/metadata/namespace").asText();
      case "spec.nodeName" -> pod.at("/spec/nodeName").asText();
      case "status.podIP" -> pod.at("/status/podIP").asText();
      default -> env.has("valueFrom") ? null : "";
    };
  }

  private static Map<String, String> flags(JsonNode container) {
    List<String> argv = new ArrayList<>();
    container.path("command").forEach(a -> argv.add(a.asText()));
    container.path("args").forEach(a -> argv.add(a.asText()));
    Map<String, String> out = new LinkedHashMap<>();
    for (int i = 0; i < argv.size(); i++) {
      String a = argv.get(i);
      if (!a.startsWith("--")) {
        continue;
      }
      String name = a.substring(2);
      if (name.contains("=")) {
        out.put(name.substring(0, name.indexOf('=')), name.substring(name.indexOf('=') + 1));
      } else if (i + 1 < argv.size() && !argv.get(i + 1).startsWith("--") && !name.equals("unready") && !name.equals("unhealthy")) {
        out.put(name, argv.get(++i));
      } else {
        out.put(name, "true");
      }
    }
    return out;
  }

  private static boolean truthy(String v) {
    return v != null && (v.equals("true") || v.equals("1"));
  }

  private static int number(String v, int fallback) {
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      return fallback;
    }
  }
}
