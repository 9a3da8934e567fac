package dev.gitopsworkshop.cluster.embedded;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.cluster.embedded.schema.Schemas;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.TreeSet;

/**
 * Just enough OpenAPI v3 for kubectl: an index of the group versions and, for each, the patch
 * operation of every kind advertising {@code fieldValidation}, and no schemas. kubectl then leaves
 * validation to the server and patches with strategic merge for built-in kinds (from its own
 * types) and merge patch for custom ones. OpenAPI v2 is an empty Swagger document (in the
 * protobuf form kubectl asks for, or JSON): kubectl falls back to it for a kind v3 does not list
 * yet (a custom resource in the same file as its CRD), and then fails with "no matches for kind
 * ... ensure CRDs are installed first", as against a real cluster.
 */
final class OpenApi {
  private OpenApi() {}

  static void serve(String path, String accept, ResourceTypes types, Schemas schemas, HttpServletResponse resp) throws IOException {
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
    if (path.equals("/openapi/v2")) {
      swagger(accept, resp);
      return;
    }
    throw ApiException.notFound("the server could not find the requested resource");
  }

  static final String SWAGGER_PROTOBUF = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

  private static void swagger(String accept, HttpServletResponse resp) throws IOException {
    if (accept != null && accept.contains("protobuf")) {
      // gnostic's openapi_v2.Document: swagger (field 1) "2.0", info (field 2) {title (1), version (2)}
      byte[] title = "Kubernetes".getBytes(StandardCharsets.US_ASCII);
      byte[] version = Discovery.KUBERNETES_VERSION.getBytes(StandardCharsets.US_ASCII);
      ByteArrayOutputStream info = new ByteArrayOutputStream();
      info.write(0x0a);
      info.write(title.length);
      info.writeBytes(title);
      info.write(0x12);
      info.write(version.length);
      info.writeBytes(version);
      ByteArrayOutputStream doc = new ByteArrayOutputStream();
      doc.writeBytes(new byte[] {0x0a, 0x03, '2', '.', '0', 0x12, (byte) info.size()});
      doc.writeBytes(info.toByteArray());
      resp.setStatus(200);
      resp.setContentType(SWAGGER_PROTOBUF);
      resp.setContentLength(doc.size());
      resp.getOutputStream().write(doc.toByteArray());
      return;
    }
    ObjectNode doc = Json.object();
    doc.put("swagger", "2.0");
    doc.putObject("info").put("title", "Kubernetes").put("version", Discovery.KUBERNETES_VERSION);
    doc.putObject("paths");
    doc.putObject("definitions");
    ApiServlet.sendJson(resp, 200, doc);
  }
}
