package dev.gitopsworkshop.cluster.embedded;

import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.TreeSet;

/**
 * Just enough OpenAPI v3 for kubectl: an index of the group versions and, for each, the patch
 * operation of every kind advertising {@code fieldValidation}, and no schemas. kubectl then leaves
 * validation to the server and patches with strategic merge for built-in kinds (from its own
 * types) and merge patch for custom ones. OpenAPI v2 is not served
 * (kubectl uses v3 when the server has it).
 */
final class OpenApi {
  private OpenApi() {}

  static void serve(String path, ResourceTypes types, HttpServletResponse resp) throws IOException {
    if (path.equals("/openapi/v3")) {
      ObjectNode index = Json.object();
      ObjectNode paths = index.putObject("paths");
      TreeSet<String> gvs = new TreeSet<>();
      for (ResourceType t : types.all()) {
        gvs.add(t.group().isEmpty() ? "api/" + t.version() : "apis/" + t.group() + "/" + t.version());
      }
      for (String gv : gvs) {
        paths.putObject(gv).put("serverRelativeURL", "/openapi/v3/" + gv + "?hash=" + Integer.toHexString(gv.hashCode()));
      }
      ApiServlet.sendJson(resp, 200, index);
      return;
    }
    if (path.startsWith("/openapi/v3/")) {
      String gv = path.substring("/openapi/v3/".length());
      ObjectNode doc = Json.object();
      doc.put("openapi", "3.0.0");
      doc.putObject("info").put("title", "Kubernetes").put("version", Discovery.KUBERNETES_VERSION);
      ObjectNode paths = doc.putObject("paths");
      for (ResourceType t : types.all()) {
        String tgv = t.group().isEmpty() ? "api/" + t.version() : "apis/" + t.group() + "/" + t.version();
        if (!tgv.equals(gv)) {
          continue;
        }
        String item = "/" + gv + (t.namespaced() ? "/namespaces/{namespace}/" : "/") + t.plural() + "/{name}";
        ObjectNode patch = paths.putObject(item).putObject("patch");
        patch.putObject("x-kubernetes-group-version-kind")
            .put("group", t.group()).put("version", t.version()).put("kind", t.kind());
        patch.putArray("parameters").addObject()
            .put("name", "fieldValidation").put("in", "query").put("description",
                "how the server treats unknown or duplicate fields").putObject("schema").put("type", "string");
      }
      doc.putObject("components").putObject("schemas");
      ApiServlet.sendJson(resp, 200, doc);
      return;
    }
    throw ApiException.notFound("the server could not find the requested resource");
  }
}
