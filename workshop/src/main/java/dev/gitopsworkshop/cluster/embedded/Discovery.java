package dev.gitopsworkshop.cluster.embedded;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The discovery documents kubectl and client libraries read before anything else: {@code /version},
 * {@code /api}, {@code /apis} and one APIResourceList per group version. Built from {@link
 * ResourceTypes} on every request, so they change as CustomResourceDefinitions come and go.
 *
 * <p>Only the legacy (unaggregated) form is served. kubectl asks for the aggregated
 * {@code apidiscovery.k8s.io/v2} form first and falls back to the legacy documents when the answer
 * is plain {@code application/json}, which is what it gets here.
 */
final class Discovery {
  static final String GIT_VERSION = "v1.33.0";

  private final ResourceTypes types;

  Discovery(ResourceTypes types) {
    this.types = types;
  }

  static ObjectNode version() {
    ObjectNode v = Json.object();
    v.put("major", "1");
    v.put("minor", "33");
    v.put("gitVersion", GIT_VERSION);
    v.put("gitCommit", "0000000000000000000000000000000000000000");
    v.put("gitTreeState", "clean");
    v.put("buildDate", "2026-01-01T00:00:00Z");
    v.put("goVersion", "go1.24.0");
    v.put("compiler", "gc");
    String arch = System.getProperty("os.arch", "amd64");
    v.put("platform", "linux/" + (arch.equals("aarch64") ? "arm64" : arch.equals("x86_64") ? "amd64" : arch));
    return v;
  }

  ObjectNode coreVersions(String serverAddress) {
    ObjectNode o = Json.object();
    o.put("kind", "APIVersions");
    o.putArray("versions").add("v1");
    ObjectNode cidr = o.putArray("serverAddressByClientCIDRs").addObject();
    cidr.put("clientCIDR", "0.0.0.0/0");
    cidr.put("serverAddress", serverAddress);
    return o;
  }

  ObjectNode groups() {
    ObjectNode o = Json.object();
    o.put("kind", "APIGroupList");
    o.put("apiVersion", "v1");
    ArrayNode list = o.putArray("groups");
    versionsByGroup().forEach((group, versions) -> list.add(group(group, versions)));
    return o;
  }

  /** One group's APIGroup document, or null when nothing is served in it. */
  ObjectNode group(String name) {
    List<String> versions = versionsByGroup().get(name);
    if (versions == null) {
      return null;
    }
    ObjectNode g = group(name, versions);
    g.put("kind", "APIGroup");
    g.put("apiVersion", "v1");
    return g;
  }

  private static ObjectNode group(String name, List<String> versions) {
    ObjectNode g = Json.object();
    g.put("name", name);
    ArrayNode vs = g.putArray("versions");
    for (String v : versions) {
      ObjectNode gv = vs.addObject();
      gv.put("groupVersion", name + "/" + v);
      gv.put("version", v);
    }
    ObjectNode preferred = g.putObject("preferredVersion");
    preferred.put("groupVersion", name + "/" + versions.get(0));
    preferred.put("version", versions.get(0));
    return g;
  }

  /** Every non-core group with its versions, the preferred (most stable) version first. */
  private Map<String, List<String>> versionsByGroup() {
    Map<String, TreeSet<String>> sets = new TreeMap<>();
    for (ResourceType t : types.all()) {
      if (!t.group().isEmpty()) {
        sets.computeIfAbsent(t.group(), g -> new TreeSet<>(VERSION_ORDER)).add(t.version());
      }
    }
    Map<String, List<String>> out = new TreeMap<>();
    sets.forEach((g, vs) -> out.put(g, new ArrayList<>(vs)));
    return out;
  }

  /** The APIResourceList of one group version, or null when nothing is served there. */
  ObjectNode resources(String group, String version) {
    List<ResourceType> list =
        types.all().stream()
            .filter(t -> t.group().equals(group) && t.version().equals(version))
            .sorted(Comparator.comparing(ResourceType::plural))
            .toList();
    if (list.isEmpty()) {
      return null;
    }
    ObjectNode o = Json.object();
    o.put("kind", "APIResourceList");
    o.put("apiVersion", "v1");
    o.put("groupVersion", group.isEmpty() ? version : group + "/" + version);
    ArrayNode resources = o.putArray("resources");
    for (ResourceType t : list) {
      ObjectNode r = resource(t.plural(), t.singular(), t.namespaced(), t.kind(), ResourceType.VERBS);
      if (!t.shortNames().isEmpty()) {
        ArrayNode sn = r.putArray("shortNames");
        t.shortNames().forEach(sn::add);
      }
      if (!t.categories().isEmpty()) {
        ArrayNode c = r.putArray("categories");
        t.categories().forEach(c::add);
      }
      r.put("storageVersionHash", Integer.toHexString(t.groupResource().hashCode()));
      resources.add(r);
      for (String sub : t.subresources()) {
        ObjectNode s = resource(t.plural() + "/" + sub, "", t.namespaced(), t.kind(), List.of("get", "patch", "update"));
        if (sub.equals("scale")) {
          s.put("group", "autoscaling");
          s.put("version", "v1");
          s.put("kind", "Scale");
        }
        resources.add(s);
      }
      if (t.group().isEmpty() && t.plural().equals("pods")) {
        resources.add(resource("pods/log", "", true, "Pod", List.of("get")));
      }
    }
    return o;
  }

  private static ObjectNode resource(
      String name, String singular, boolean namespaced, String kind, List<String> verbs) {
    ObjectNode r = Json.object();
    r.put("name", name);
    r.put("singularName", singular);
    r.put("namespaced", namespaced);
    r.put("kind", kind);
    ArrayNode v = r.putArray("verbs");
    verbs.forEach(v::add);
    return r;
  }

  /**
   * Kubernetes' version priority: GA before beta before alpha, higher numbers first (v2, v1,
   * v1beta2, v1beta1, v1alpha1), anything else after, alphabetically.
   */
  static final Comparator<String> VERSION_ORDER =
      Comparator.comparingInt(Discovery::stability)
          .thenComparing(Comparator.comparingInt(Discovery::major).reversed())
          .thenComparing(Comparator.comparingInt(Discovery::minor).reversed())
          .thenComparing(Comparator.naturalOrder());

  private static final java.util.regex.Pattern KUBE_VERSION =
      java.util.regex.Pattern.compile("v(\\d+)(?:(alpha|beta)(\\d+))?");

  private static int stability(String v) {
    var m = KUBE_VERSION.matcher(v);
    if (!m.matches()) {
      return 3;
    }
    return m.group(2) == null ? 0 : m.group(2).equals("beta") ? 1 : 2;
  }

  private static int major(String v) {
    var m = KUBE_VERSION.matcher(v);
    return m.matches() ? Integer.parseInt(m.group(1)) : 0;
  }

  private static int minor(String v) {
    var m = KUBE_VERSION.matcher(v);
    return m.matches() && m.group(3) != null ? Integer.parseInt(m.group(3)) : 0;
  }
}
