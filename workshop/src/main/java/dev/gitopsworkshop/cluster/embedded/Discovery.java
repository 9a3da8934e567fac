package dev.gitopsworkshop.cluster.embedded;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The discovery documents kubectl reads before anything else: {@code /version}, {@code /api},
 * {@code /apis} and one resource list per group version. Built from {@link ResourceTypes} on each
 * request, so CRDs appear as soon as they are created. (Aggregated discovery is not offered; kubectl
 * falls back to these legacy documents when the answer is plain JSON.)
 */
final class Discovery {
  static final String KUBERNETES_VERSION = "v1.33.4";

  private final ResourceTypes types;

  Discovery(ResourceTypes types) {
    this.types = types;
  }

  static ObjectNode version() {
    ObjectNode v = Json.object();
    v.put("major", "1");
    v.put("minor", "33");
    v.put("gitVersion", KUBERNETES_VERSION);
    v.put("gitCommit", "0000000000000000000000000000000000000000");
    v.put("gitTreeState", "clean");
    v.put("buildDate", "2026-01-01T00:00:00Z");
    v.put("goVersion", "go1.24.0");
    v.put("compiler", "gc");
    v.put("platform", "linux/amd64");
    return v;
  }

  ObjectNode coreVersions(String serverAddress) {
    ObjectNode v = Json.object();
    v.put("kind", "APIVersions");
    v.putArray("versions").add("v1");
    v.putArray("serverAddressByClientCIDRs")
        .addObject()
        .put("clientCIDR", "0.0.0.0/0")
        .put("serverAddress", serverAddress);
    return v;
  }

  ObjectNode groups() {
    Map<String, TreeSet<String>> versions = new TreeMap<>();
    for (ResourceType t : types.all()) {
      if (!t.group().isEmpty()) {
        versions.computeIfAbsent(t.group(), g -> new TreeSet<>()).add(t.version());
      }
    }
    ObjectNode list = Json.object();
    list.put("kind", "APIGroupList");
    list.put("apiVersion", "v1");
    ArrayNode groups = list.putArray("groups");
    versions.forEach(
        (group, vs) -> {
          ObjectNode g = groups.addObject();
          g.put("name", group);
          ArrayNode arr = g.putArray("versions");
          List<String> ordered = vs.stream().sorted(Discovery::preferred).toList();
          for (String v : ordered) {
            arr.addObject().put("groupVersion", group + "/" + v).put("version", v);
          }
          g.putObject("preferredVersion").put("groupVersion", group + "/" + ordered.get(0)).put("version", ordered.get(0));
        });
    return list;
  }

  /** v1 before v1beta2 before v1beta1 before v1alpha1: newest stable first. */
  private static int preferred(String a, String b) {
    return Integer.compare(rank(b), rank(a));
  }

  private static int rank(String v) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("v(\\d+)(alpha|beta)?(\\d*)").matcher(v);
    if (!m.matches()) {
      return 0;
    }
    int major = Integer.parseInt(m.group(1));
    int stage = m.group(2) == null ? 3 : m.group(2).equals("beta") ? 2 : 1;
    int minor = m.group(3).isEmpty() ? 0 : Integer.parseInt(m.group(3));
    return major * 10000 + stage * 1000 + minor;
  }

  /** The resource list of one group version, or null when it is not served. */
  ObjectNode resources(String group, String version) {
    List<ResourceType> served =
        types.all().stream()
            .filter(t -> t.group().equals(group) && t.version().equals(version))
            .sorted((a, b) -> a.plural().compareTo(b.plural()))
            .toList();
    if (served.isEmpty()) {
      return null;
    }
    ObjectNode list = Json.object();
    list.put("kind", "APIResourceList");
    list.put("apiVersion", "v1");
    list.put("groupVersion", group.isEmpty() ? version : group + "/" + version);
    ArrayNode resources = list.putArray("resources");
    for (ResourceType t : served) {
      ObjectNode r = resources.addObject();
      r.put("name", t.plural());
      r.put("singularName", t.singular());
      r.put("namespaced", t.namespaced());
      r.put("kind", t.kind());
      ArrayNode verbs = r.putArray("verbs");
      ResourceType.VERBS.forEach(verbs::add);
      if (!t.shortNames().isEmpty()) {
        ArrayNode sn = r.putArray("shortNames");
        t.shortNames().forEach(sn::add);
      }
      if (!t.categories().isEmpty()) {
        ArrayNode cats = r.putArray("categories");
        t.categories().forEach(cats::add);
      }
      for (String sub : t.subresources()) {
        ObjectNode s = resources.addObject();
        s.put("name", t.plural() + "/" + sub);
        s.put("singularName", "");
        s.put("namespaced", t.namespaced());
        if (sub.equals("scale")) {
          s.put("group", "autoscaling");
          s.put("version", "v1");
          s.put("kind", "Scale");
        } else {
          s.put("kind", t.kind());
        }
        s.putArray("verbs").add("get").add("patch").add("update");
      }
      if (t.plural().equals("pods") && t.group().isEmpty()) {
        ObjectNode log = resources.addObject();
        log.put("name", "pods/log");
        log.put("singularName", "");
        log.put("namespaced", true);
        log.put("kind", "Pod");
        log.putArray("verbs").add("get");
      }
    }
    return list;
  }
}
