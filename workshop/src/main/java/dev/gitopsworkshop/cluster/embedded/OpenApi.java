package dev.gitopsworkshop.cluster.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.cluster.embedded.schema.OpenApiDocuments;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * OpenAPI for kubectl. Version 3: an index of the group versions (each with a hash of its content,
 * as kubectl caches by it) and, for each, the patch operation of every kind advertising {@code
 * fieldValidation} (so kubectl leaves validation to the server) and the kinds' schemas ({@code
 * kubectl explain}; the merge keys of {@code kubectl apply}'s strategic merge patches). Version 2
 * as JSON carries the same schemas; in the protobuf form kubectl asks for it is an empty Swagger
 * document: kubectl falls back to it only for a kind v3 does not list yet (a custom resource in the
 * same file as its CRD), and then fails with "no matches for kind ... ensure CRDs are installed
 * first", as against a real cluster.
 */
final class OpenApi {
  private OpenApi() {}

  static void serve(String path, String accept, ResourceTypes types, OpenApiDocuments documents, HttpServletResponse resp)
      throws IOException {
    Map<String, List<ResourceType>> byGroupVersion = new TreeMap<>();
    for (ResourceType t : types.all()) {
      byGroupVersion.computeIfAbsent(t.group().isEmpty() ? "api/" + t.version() : "apis/" + t.group() + "/" + t.version(),
          k -> new ArrayList<>()).add(t);
    }
    byGroupVersion.values().forEach(kinds -> kinds.sort(java.util.Comparator.comparing(ResourceType::plural)));
    if (path.equals("/openapi/v3")) {
      ObjectNode index = Json.object();
      ObjectNode paths = index.putObject("paths");
      for (Map.Entry<String, List<ResourceType>> gv : byGroupVersion.entrySet()) {
        String hash = Integer.toHexString(documents.key(gv.getValue()).hashCode());
        paths.putObject(gv.getKey()).put("serverRelativeURL", "/openapi/v3/" + gv.getKey() + "?hash=" + hash);
      }
      ApiServlet.sendJson(resp, 200, index);
      return;
    }
    if (path.startsWith("/openapi/v3/")) {
      String gv = path.substring("/openapi/v3/".length());
      List<ResourceType> kinds = byGroupVersion.get(gv);
      if (kinds == null) {
        throw ApiException.notFound("the server could not find the requested resource");
      }
      ApiServlet.sendJson(resp, 200, documents.document(gv, kinds, () -> document(gv, kinds, documents)));
      return;
    }
    if (path.equals("/openapi/v2")) {
      swagger(accept, types.all(), documents, resp);
      return;
    }
    throw ApiException.notFound("the server could not find the requested resource");
  }

  private static ObjectNode document(String gv, List<ResourceType> kinds, OpenApiDocuments documents) {
    ObjectNode doc = Json.object();
    doc.put("openapi", "3.0.0");
    doc.putObject("info").put("title", "Kubernetes").put("version", Discovery.KUBERNETES_VERSION);
    ObjectNode paths = doc.putObject("paths");
    for (ResourceType t : kinds) {
      String item = "/" + gv + (t.namespaced() ? "/namespaces/{namespace}/" : "/") + t.plural() + "/{name}";
      ObjectNode patch = paths.putObject(item).putObject("patch");
      patch.putObject("x-kubernetes-group-version-kind")
          .put("group", t.group()).put("version", t.version()).put("kind", t.kind());
      patch.putArray("parameters").addObject()
          .put("name", "fieldValidation").put("in", "query").put("description",
              "how the server treats unknown or duplicate fields").putObject("schema").put("type", "string");
    }
    ObjectNode schemas = doc.putObject("components").putObject("schemas");
    documents.components(kinds).forEach(schemas::set);
    return doc;
  }

  static final String SWAGGER_PROTOBUF = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

  private static void swagger(String accept, List<ResourceType> kinds, OpenApiDocuments documents, HttpServletResponse resp)
      throws IOException {
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
    ObjectNode definitions = doc.putObject("definitions");
    for (Map.Entry<String, JsonNode> d : documents.components(kinds).entrySet()) {
      definitions.set(d.getKey(), OpenApiDocuments.swagger(d.getValue()));
    }
    ApiServlet.sendJson(resp, 200, doc);
  }
}
