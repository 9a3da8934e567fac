package dev.gitopsworkshop.cluster.embedded;

/**
 * A resource request path taken apart: {@code /api/v1/namespaces/default/pods/web/status} is group
 * "", version v1, namespace default, plural pods, name web, subresource status.
 */
record ApiPath(String group, String version, String namespace, String plural, String name, String subresource) {

  /** Parses a resource path; null when the path is not one (discovery, health, unknown). */
  static ApiPath parse(String path) {
    String[] p = path.replaceAll("^/+|/+$", "").split("/");
    int i;
    String group;
    String version;
    if (p.length >= 3 && p[0].equals("api")) {
      group = "";
      version = p[1];
      i = 2;
    } else if (p.length >= 4 && p[0].equals("apis")) {
      group = p[1];
      version = p[2];
      i = 3;
    } else {
      return null;
    }
    String namespace = null;
    boolean namespaceSubresource =
        group.isEmpty() && p[i].equals("namespaces") && p.length == i + 3
            && (p[i + 2].equals("status") || p[i + 2].equals("finalize"));
    if (!namespaceSubresource && p[i].equals("namespaces") && p.length >= i + 3) {
      namespace = p[i + 1];
      i += 2;
    }
    String plural = p[i];
    String name = p.length > i + 1 ? p[i + 1] : null;
    String sub = p.length > i + 2 ? p[i + 2] : null;
    if (p.length > i + 3) {
      return null;
    }
    return new ApiPath(group, version, namespace, plural, name, sub);
  }
}
