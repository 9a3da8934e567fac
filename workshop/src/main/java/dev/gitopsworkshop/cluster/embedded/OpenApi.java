package dev.gitopsworkshop.cluster.embedded;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.TreeSet;

/**
 * A deliberately small OpenAPI v3 surface: the root index ({@code /openapi/v3}) and, per group
 * version, a document whose only content is each kind's PATCH operation, tagged with its
 * group/version/kind and advertising the {@code fieldValidation} query parameter.
 *
 * <p>That is what kubectl reads to decide that the server validates fields itself, so it skips its
 * client-side schema validation and sends {@code fieldValidation=Strict}. No schemas are
 * published: kubectl then computes client-side apply patches from its compiled-in types
 * (strategic merge for built-in kinds, JSON merge for custom resources), as it does against any
 * server whose OpenAPI lacks a kind. {@code /openapi/v2} is an empty Swagger document (in the
 * protobuf form kubectl asks for, or JSON), so that a kind the server does not know yet fails in
 * kubectl with "no matches for kind", as against a real cluster.
 */
final class OpenApi {
  private final ResourceTypes types;

  OpenApi(ResourceTypes types) {
    this.types = types;
  }

  static final String SWAGGER_PROTOBUF = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

  /** An empty Swagger 2.0 document. */
  static ObjectNode swagger() {
    ObjectNode o = Json.object();
    o.put("swagger", "2.0");
    ObjectNode info = o.putObject("info");
    info.put("title", "Kubernetes");
    info.put("version", Discovery.GIT_VERSION);
    o.putObject("paths");
    o.putObject("definitions");
    return o;
  }

  /** The same document as gnostic's openapi_v2.Document protobuf: swagger (1) and info (2: title 1, version 2). */
  static byte[] swaggerProtobuf() {
    byte[] title = "Kubernetes".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] version = Discovery.GIT_VERSION.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    java.io.ByteArrayOutputStream info = new java.io.ByteArrayOutputStream();
    info.write(0x0a);
    info.write(title.length);
    info.writeBytes(title);
    info.write(0x12);
    info.write(version.length);
    info.writeBytes(version);
    java.io.ByteArrayOutputStream doc = new java.io.ByteArrayOutputStream();
    doc.writeBytes(new byte[] {0x0a, 0x03, '2', '.', '0', 0x12, (byte) info.size()});
    doc.writeBytes(info.toByteArray());
    return doc.toByteArray();
  }

  ObjectNode root() {
    ObjectNode o = Json.object();
    ObjectNode paths = o.putObject("paths");
    TreeSet<String> gvs = new TreeSet<>();
    types.all().forEach(t -> gvs.add(t.groupVersionPath().substring(1)));
    for (String gv : gvs) {
      paths.putObject(gv).put("serverRelativeURL", "/openapi/v3/" + gv + "?hash=" + hash(gv));
    }
    return o;
  }

  private String hash(String gv) {
    StringBuilder sb = new StringBuilder();
    types.all().stream()
        .filter(t -> t.groupVersionPath().substring(1).equals(gv))
        .map(ResourceType::plural)
        .sorted()
        .forEach(sb::append);
    return String.format("%016X", (long) sb.toString().hashCode() & 0xffffffffL);
  }

  /** The document of one group version ({@code api/v1}, {@code apis/apps/v1}), or null. */
  ObjectNode groupVersion(String gvPath) {
    ObjectNode doc = Json.object();
    doc.put("openapi", "3.0.0");
    ObjectNode info = doc.putObject("info");
    info.put("title", "Kubernetes");
    info.put("version", Discovery.GIT_VERSION);
    ObjectNode paths = doc.putObject("paths");
    boolean any = false;
    for (ResourceType t : types.all()) {
      if (!t.groupVersionPath().substring(1).equals(gvPath)) {
        continue;
      }
      any = true;
      String base = "/" + gvPath + (t.namespaced() ? "/namespaces/{namespace}/" : "/") + t.plural() + "/{name}";
      ObjectNode patch = paths.putObject(base).putObject("patch");
      patch.put("operationId", "patch" + t.kind());
      ObjectNode gvk = patch.putObject("x-kubernetes-group-version-kind");
      gvk.put("group", t.group());
      gvk.put("version", t.version());
      gvk.put("kind", t.kind());
      patch.put("x-kubernetes-action", "patch");
      ArrayNode params = patch.putArray("parameters");
      for (String p : new String[] {"dryRun", "fieldManager", "fieldValidation", "force"}) {
        ObjectNode param = params.addObject();
        param.put("name", p);
        param.put("in", "query");
        param.putObject("schema").put("type", p.equals("force") ? "boolean" : "string");
      }
      patch.putObject("responses").putObject("200").put("description", "OK");
    }
    doc.putObject("components").putObject("schemas");
    return any ? doc : null;
  }
}
