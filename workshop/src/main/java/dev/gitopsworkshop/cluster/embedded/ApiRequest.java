package dev.gitopsworkshop.cluster.embedded;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A resource request as kube-apiserver reads its URL: {@code /api/v1/...} or
 * {@code /apis/GROUP/VERSION/...}, then {@code [namespaces/NS/]RESOURCE[/NAME[/SUBRESOURCE]]}.
 *
 * @param namespace null for cluster-scoped resources and all-namespace lists
 * @param name null for collections
 * @param subresource null, or {@code status}, {@code scale}, {@code log}
 */
record ApiRequest(
    String method,
    String group,
    String version,
    String namespace,
    String resource,
    String name,
    String subresource,
    Map<String, String> query,
    String contentType,
    String accept) {

  /** Parses a resource path; null when the path is not one (discovery and the like). */
  static ApiRequest parse(
      String method, String path, String rawQuery, String contentType, String accept) {
    List<String> parts =
        Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).map(ApiRequest::decode).toList();
    String group;
    String version;
    int i;
    if (parts.size() >= 3 && parts.get(0).equals("api")) {
      group = "";
      version = parts.get(1);
      i = 2;
    } else if (parts.size() >= 4 && parts.get(0).equals("apis")) {
      group = parts.get(1);
      version = parts.get(2);
      i = 3;
    } else {
      return null;
    }
    List<String> rest = parts.subList(i, parts.size());
    String namespace = null;
    if (rest.size() >= 3
        && rest.get(0).equals("namespaces")
        && !(rest.size() == 3 && (rest.get(2).equals("status") || rest.get(2).equals("finalize")))) {
      namespace = rest.get(1);
      rest = rest.subList(2, rest.size());
    }
    if (rest.isEmpty() || rest.size() > 3) {
      return null;
    }
    return new ApiRequest(
        method,
        group,
        version,
        namespace,
        rest.get(0),
        rest.size() > 1 ? rest.get(1) : null,
        rest.size() > 2 ? rest.get(2) : null,
        query(rawQuery),
        contentType == null ? "" : contentType,
        accept == null ? "" : accept);
  }

  static Map<String, String> query(String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String key = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      out.putIfAbsent(key, value);
    }
    return out;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  ApiRequest withNamespace(String ns) {
    return new ApiRequest(method, group, version, ns, resource, name, subresource, query, contentType, accept);
  }

  ApiRequest withContentType(String type) {
    return new ApiRequest(method, group, version, namespace, resource, name, subresource, query, type, accept);
  }

  String param(String key) {
    return query.get(key);
  }

  boolean flag(String key) {
    String v = query.get(key);
    return v != null && (v.equals("true") || v.equals("1"));
  }

  boolean dryRun() {
    return query.containsKey("dryRun") && !query.get("dryRun").isEmpty();
  }

  boolean isWatch() {
    return flag("watch");
  }

  /** The client asked for a {@code meta.k8s.io} Table (kubectl get). */
  boolean wantsTable() {
    return accept.contains("as=Table");
  }

  /** The body is YAML (server-side apply, or a client that sends YAML). */
  boolean yamlBody() {
    String ct = contentType.toLowerCase();
    return ct.contains("yaml");
  }
}
