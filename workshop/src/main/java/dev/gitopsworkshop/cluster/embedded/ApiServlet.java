package dev.gitopsworkshop.cluster.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.cluster.embedded.streams.PodStreams;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kubernetes REST surface of the embedded cluster: discovery, OpenAPI, and for every resource
 * type get, list, watch, create, update, patch (JSON, merge, strategic merge, apply), delete and
 * deletecollection, with the {@code status} and {@code scale} subresources. Errors are answered
 * with Status objects, as kube-apiserver answers them.
 */
final class ApiServlet extends HttpServlet {
  private static final Logger LOG = LoggerFactory.getLogger(ApiServlet.class);
  static final int MAX_BODY_BYTES = 3 * 1024 * 1024;
  private static final long MAX_DRAINED_BYTES = 16L * 1024 * 1024;

  private final ResourceStore store;
  private final ResourceTypes types;
  private final Discovery discovery;
  private final String token;
  private final WatchStream watches;
  private final NodeRuntime node;
  private final PodStreams streams;

  ApiServlet(ResourceStore store, ResourceTypes types, NodeRuntime node, String token) {
    this.store = store;
    this.types = types;
    this.node = node;
    this.streams = new PodStreams(node.ports());
    this.discovery = new Discovery(types);
    this.token = token;
    this.watches = new WatchStream(store);
  }

  void stop() {
    watches.stop();
    streams.close();
  }

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    try {
      if (!authorised(req.getHeader("Authorization"))) {
        throw new ApiException(401, "Unauthorized", "Unauthorized");
      }
      if ("websocket".equalsIgnoreCase(req.getHeader("Upgrade")) && !streamsTo(req)) {
        declineWebSocket(resp);
        return;
      }
      route(req, resp);
    } catch (ApiException e) {
      sendStatus(resp, e);
    } catch (RuntimeException e) {
      LOG.error("500 for {} {}?{}", req.getMethod(), req.getRequestURI(), req.getQueryString(), e);
      sendStatus(resp, new ApiException(500, "InternalError", "Internal error occurred: " + e));
    }
  }

  /** The bearer token, compared in constant time (how long a wrong one takes says nothing about the right one). */
  private boolean authorised(String header) {
    return header != null
        && MessageDigest.isEqual(header.getBytes(StandardCharsets.UTF_8), ("Bearer " + token).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Watches are served as HTTP streams only. The fabric8 client first asks for a WebSocket
   * upgrade; answered with a streaming 200 it would wait forever for the body to end (the JDK's
   * handshake reads it). An empty 200 makes it repeat the watch as a streaming GET.
   */
  private static void declineWebSocket(HttpServletResponse resp) {
    resp.setStatus(200);
    resp.setContentType("application/json");
    resp.setContentLength(0);
  }

  /** Whether the request is for a pod subresource that streams (exec, attach, portforward). */
  private static boolean streamsTo(HttpServletRequest req) {
    ApiPath api = ApiPath.parse(URLDecoder.decode(req.getRequestURI(), StandardCharsets.UTF_8));
    return api != null && "pods".equals(api.plural()) && PodStreams.streams(api.subresource());
  }

  private void route(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String path = URLDecoder.decode(req.getRequestURI(), StandardCharsets.UTF_8).replaceAll("/+$", "");
    switch (path) {
      case "/version" -> {
        sendJson(resp, 200, Discovery.version());
        return;
      }
      case "/healthz", "/readyz", "/livez" -> {
        resp.setContentType("text/plain");
        resp.getWriter().write("ok");
        return;
      }
      case "/api" -> {
        sendJson(resp, 200, discovery.coreVersions(req.getServerName() + ":" + req.getServerPort()));
        return;
      }
      case "/apis" -> {
        sendJson(resp, 200, discovery.groups());
        return;
      }
      default -> {
        // resources below
      }
    }
    if (path.startsWith("/openapi/")) {
      OpenApi.serve(path, req.getHeader("Accept"), types, resp);
      return;
    }
    String[] parts = path.substring(1).split("/");
    if ((parts.length == 2 && parts[0].equals("api")) || (parts.length == 3 && parts[0].equals("apis"))) {
      ObjectNode list = parts[0].equals("api") ? discovery.resources("", parts[1]) : discovery.resources(parts[1], parts[2]);
      if (list == null) {
        throw ApiException.notFound("the server could not find the requested resource");
      }
      sendJson(resp, 200, list);
      return;
    }
    ApiPath api = ApiPath.parse(path);
    if (api == null) {
      throw ApiException.notFound("the server could not find the requested resource");
    }
    ResourceType type =
        types.byPlural(api.group(), api.version(), api.plural())
            .orElseThrow(() -> ApiException.notFound("the server could not find the requested resource"));
    if (!type.namespaced() && api.namespace() != null) {
      throw ApiException.notFound("the server could not find the requested resource");
    }
    if (api.subresource() != null && !type.subresources().contains(api.subresource())
        && !((api.subresource().equals("log") || PodStreams.streams(api.subresource())
            || api.subresource().equals("ephemeralcontainers")) && type.plural().equals("pods"))
        && !(api.subresource().equals("finalize") && type.plural().equals("namespaces"))) {
      throw ApiException.notFound("the server could not find the requested resource");
    }
    resource(req, resp, type, api);
  }

  private void resource(HttpServletRequest req, HttpServletResponse resp, ResourceType type, ApiPath api)
      throws IOException {
    boolean dryRun = req.getParameter("dryRun") != null;
    String method = req.getMethod();
    if (api.name() == null) {
      switch (method) {
        case "GET" -> {
          if (isWatch(req)) {
            watches.serve(req, resp, type, api.namespace(), filter(req));
          } else {
            list(req, resp, type, api.namespace());
          }
        }
        case "POST" -> sendJson(resp, dryRun ? 200 : 201, create(type, api.namespace(), body(req), dryRun));
        case "DELETE" -> deleteCollection(req, resp, type, api.namespace(), dryRun);
        default -> throw new ApiException(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
      }
      return;
    }
    String sub = api.subresource();
    if (PodStreams.streams(sub)) {
      if (!method.equals("GET") && !method.equals("POST")) {
        throw new ApiException(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
      }
      streams.serve(req, resp, get(type, api), sub);
      return;
    }
    if ("ephemeralcontainers".equals(sub) && !method.equals("GET")) {
      throw PodStreams.debugRefused(get(type, api));
    }
    switch (method) {
      case "GET" -> {
        ObjectNode obj = get(type, api);
        if ("scale".equals(sub)) {
          sendJson(resp, 200, Scale.of(type, obj));
        } else if ("log".equals(sub)) {
          PodLogs.serve(req, resp, obj, node.logs());
        } else {
          sendObject(req, resp, type, obj);
        }
      }
      case "PUT" -> sendJson(resp, 200, update(type, api, body(req), dryRun));
      case "PATCH" -> patch(req, resp, type, api, dryRun);
      case "DELETE" -> sendJson(resp, 200, delete(type, api, req, dryRun));
      default -> throw new ApiException(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
    }
  }

  static boolean isWatch(HttpServletRequest req) {
    String w = req.getParameter("watch");
    return w != null && (w.equals("true") || w.equals("1"));
  }

  private static Predicate<ObjectNode> filter(HttpServletRequest req) {
    Predicate<ObjectNode> labels = Selectors.labels(req.getParameter("labelSelector"));
    Predicate<ObjectNode> fields = Selectors.fields(req.getParameter("fieldSelector"));
    return labels.and(fields);
  }

  private ObjectNode get(ResourceType type, ApiPath api) {
    return store.get(type, api.namespace(), api.name()).orElseThrow(() -> ApiException.notFound(type, api.name()));
  }

  private void list(HttpServletRequest req, HttpServletResponse resp, ResourceType type, String namespace)
      throws IOException {
    ResourceStore.ListResult result = store.list(type, namespace, filter(req));
    if (wantsTable(req)) {
      sendJson(resp, 200, Tables.table(type, result.items(), result.revision(), req.getParameter("includeObject")));
      return;
    }
    ObjectNode list = Json.object();
    list.put("kind", type.kind() + "List");
    list.put("apiVersion", type.apiVersion());
    list.putObject("metadata").put("resourceVersion", String.valueOf(result.revision()));
    var items = list.putArray("items");
    result.items().forEach(items::add);
    sendJson(resp, 200, list);
  }

  private void sendObject(HttpServletRequest req, HttpServletResponse resp, ResourceType type, ObjectNode obj)
      throws IOException {
    if (wantsTable(req)) {
      long rv = obj.at("/metadata/resourceVersion").asLong();
      sendJson(resp, 200, Tables.table(type, List.of(obj), rv, req.getParameter("includeObject")));
    } else {
      sendJson(resp, 200, obj);
    }
  }

  static boolean wantsTable(HttpServletRequest req) {
    String accept = req.getHeader("Accept");
    return accept != null && accept.contains("as=Table");
  }

  // ---------------------------------------------------------------- writes

  ObjectNode create(ResourceType type, String namespace, JsonNode body, boolean dryRun) {
    if (!(body instanceof ObjectNode obj)) {
      throw ApiException.badRequest("the request body must be a JSON or YAML object");
    }
    checkKind(type, obj);
    ObjectNode meta = obj.with("metadata");
    String bodyNs = meta.path("namespace").asText("");
    if (type.namespaced()) {
      if (namespace == null) {
        throw ApiException.badRequest("the namespace of the object is not set and the request names none");
      }
      if (!bodyNs.isEmpty() && !bodyNs.equals(namespace)) {
        throw ApiException.badRequest(
            "the namespace of the provided object does not match the namespace sent on the request");
      }
      meta.put("namespace", namespace);
      requireNamespace(namespace);
    }
    Admission.admit(type, obj);
    if (isCrd(type)) {
      CustomResources.validate(obj);
      CustomResources.establish(obj);
    } else if (type.hasStatus() && !type.plural().equals("namespaces")) {
      obj.remove("status"); // status is the controllers' to write
    }
    ObjectNode created = store.create(type, obj, dryRun);
    if (isCrd(type) && !dryRun) {
      CustomResources.register(types, created);
    }
    return created;
  }

  private void requireNamespace(String namespace) {
    ResourceType namespaces = types.byPlural("", "v1", "namespaces").orElseThrow();
    ObjectNode ns = store.get(namespaces, null, namespace).orElseThrow(() -> ApiException.namespaceNotFound(namespace));
    if (ns.at("/metadata/deletionTimestamp").isTextual()) {
      throw new ApiException(
          403, "Forbidden",
          "unable to create new content in namespace " + namespace + " because it is being terminated");
    }
  }

  private static boolean isCrd(ResourceType type) {
    return type.plural().equals("customresourcedefinitions") && type.group().equals("apiextensions.k8s.io");
  }

  private static void checkKind(ResourceType type, ObjectNode obj) {
    String kind = obj.path("kind").asText("");
    if (!kind.isEmpty() && !kind.equals(type.kind())) {
      throw ApiException.badRequest(
          "the kind of the object (" + kind + ") does not match the resource (" + type.plural() + ")");
    }
  }

  private ObjectNode update(ResourceType type, ApiPath api, JsonNode body, boolean dryRun) {
    if (!(body instanceof ObjectNode obj)) {
      throw ApiException.badRequest("the request body must be a JSON or YAML object");
    }
    String sub = api.subresource();
    if ("scale".equals(sub)) {
      return Scale.of(type, write(type, api, Scale.apply(get(type, api), obj), ResourceStore.Part.MAIN, dryRun));
    }
    checkKind(type, obj);
    ObjectNode meta = obj.with("metadata");
    if (!api.name().equals(meta.path("name").asText(api.name()))) {
      throw ApiException.badRequest("the name of the object (" + meta.path("name").asText()
          + ") does not match the name on the URL (" + api.name() + ")");
    }
    meta.put("name", api.name());
    if (type.namespaced()) {
      meta.put("namespace", api.namespace());
    }
    ResourceStore.Part part = "status".equals(sub) ? ResourceStore.Part.STATUS : ResourceStore.Part.MAIN;
    return write(type, api, obj, part, dryRun);
  }

  private ObjectNode write(ResourceType type, ApiPath api, ObjectNode obj, ResourceStore.Part part, boolean dryRun) {
    if (part == ResourceStore.Part.MAIN) {
      Admission.admit(type, obj);
      if (isCrd(type)) {
        CustomResources.validate(obj);
        CustomResources.establish(obj);
      }
      if (!type.hasStatus() || isCrd(type)) {
        // no status subresource: the status is part of the object
        if (!obj.has("status")) {
          store.get(type, api.namespace(), api.name()).map(o -> o.get("status")).ifPresent(s -> obj.set("status", s));
        }
      }
    }
    ObjectNode updated = store.update(type, obj, part, dryRun);
    if (isCrd(type) && !dryRun) {
      CustomResources.register(types, updated);
    }
    return updated;
  }

  private void patch(HttpServletRequest req, HttpServletResponse resp, ResourceType type, ApiPath api, boolean dryRun)
      throws IOException {
    String contentType = req.getContentType() == null ? "" : req.getContentType();
    byte[] raw = read(req);
    boolean apply = contentType.startsWith("application/apply-patch");
    JsonNode patch = Json.parse(raw, apply ? "yaml" : contentType);
    String manager = req.getParameter("fieldManager") == null ? "unknown" : req.getParameter("fieldManager");
    for (int attempt = 0; ; attempt++) {
      var current = store.get(type, api.namespace(), api.name());
      if (current.isEmpty()) {
        if (apply && api.subresource() == null) {
          ObjectNode config = (ObjectNode) patch;
          sendJson(resp, 201, create(type, api.namespace(), ServerSideApply.create(config, manager, type.apiVersion()), dryRun));
          return;
        }
        throw ApiException.notFound(type, api.name());
      }
      ObjectNode live = current.get();
      ObjectNode base = "scale".equals(api.subresource()) ? Scale.of(type, live) : live;
      JsonNode patched;
      if (contentType.startsWith("application/json-patch+json")) {
        patched = Patches.jsonPatch(base, patch);
      } else if (contentType.startsWith("application/merge-patch+json")) {
        patched = Patches.mergePatch(base, patch);
      } else if (contentType.startsWith("application/strategic-merge-patch+json")) {
        patched = Patches.strategicMerge(base, patch);
      } else if (apply) {
        checkKind(type, (ObjectNode) patch);
        patched = ServerSideApply.apply(base, (ObjectNode) patch, manager, type.apiVersion());
      } else {
        throw new ApiException(415, "UnsupportedMediaType", "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json");
      }
      if (!(patched instanceof ObjectNode obj)) {
        throw ApiException.badRequest("the patch did not produce an object");
      }
      String givenRv = patch.at("/metadata/resourceVersion").asText("");
      obj.with("metadata").put("resourceVersion", givenRv.isEmpty() ? live.at("/metadata/resourceVersion").asText() : givenRv);
      try {
        ObjectNode result;
        if ("scale".equals(api.subresource())) {
          result = Scale.of(type, write(type, api, Scale.apply(live, obj), ResourceStore.Part.MAIN, dryRun));
        } else {
          obj.with("metadata").put("name", api.name());
          ResourceStore.Part part = "status".equals(api.subresource()) ? ResourceStore.Part.STATUS : ResourceStore.Part.MAIN;
          result = write(type, api, obj, part, dryRun);
        }
        sendJson(resp, 200, result);
        return;
      } catch (ApiException e) {
        if (e.code() != 409 || !givenRv.isEmpty() || attempt >= 5) {
          throw e;
        }
      }
    }
  }

  private ObjectNode delete(ResourceType type, ApiPath api, HttpServletRequest req, boolean dryRun) throws IOException {
    byte[] raw = read(req);
    String uid = null;
    String propagation = req.getParameter("propagationPolicy");
    if (raw.length > 0) {
      JsonNode opts = Json.parse(raw, req.getContentType());
      uid = Json.text(opts, "/preconditions/uid");
      if (opts.at("/dryRun").isArray() && !opts.at("/dryRun").isEmpty()) {
        dryRun = true;
      }
      if (propagation == null) {
        propagation = Json.text(opts, "/propagationPolicy");
      }
    }
    if ("Orphan".equals(propagation) && !dryRun) {
      ObjectNode owner = get(type, api);
      Orphans.release(store, types, owner.at("/metadata/uid").asText());
    }
    ObjectNode deleted = store.delete(type, api.namespace(), api.name(), uid, dryRun);
    if (isCrd(type) && !dryRun && !deleted.at("/metadata/deletionTimestamp").isTextual()) {
      dropCustomObjects(deleted);
    }
    return deleted;
  }

  private void dropCustomObjects(ObjectNode crd) {
    String group = crd.at("/spec/group").asText();
    String plural = crd.at("/spec/names/plural").asText();
    types.all().stream()
        .filter(t -> !t.builtIn() && t.group().equals(group) && t.plural().equals(plural))
        .findFirst()
        .ifPresent(t -> store.list(t, null, null).items().forEach(o ->
            store.delete(t, o.at("/metadata/namespace").asText(null), o.at("/metadata/name").asText(), null, false)));
    types.removeCustom(group, plural);
  }

  private void deleteCollection(HttpServletRequest req, HttpServletResponse resp, ResourceType type, String namespace, boolean dryRun)
      throws IOException {
    ResourceStore.ListResult result = store.list(type, namespace, filter(req));
    ObjectNode list = Json.object();
    list.put("kind", type.kind() + "List");
    list.put("apiVersion", type.apiVersion());
    var items = list.putArray("items");
    for (ObjectNode o : result.items()) {
      try {
        items.add(store.delete(type, o.at("/metadata/namespace").asText(null), o.at("/metadata/name").asText(), null, dryRun));
      } catch (ApiException e) {
        LOG.debug("deleting a collection: {}/{} is already gone ({})", o.at("/metadata/namespace").asText(""),
            o.at("/metadata/name").asText(), e.getMessage());
      }
    }
    list.putObject("metadata").put("resourceVersion", String.valueOf(store.revision()));
    sendJson(resp, 200, list);
  }

  // ---------------------------------------------------------------- I/O

  private static JsonNode body(HttpServletRequest req) throws IOException {
    return Json.parse(read(req), req.getContentType());
  }

  private static byte[] read(HttpServletRequest req) throws IOException {
    try (InputStream in = req.getInputStream()) {
      byte[] bytes = req.getContentLengthLong() > MAX_BODY_BYTES ? new byte[0] : in.readNBytes(MAX_BODY_BYTES + 1);
      if (req.getContentLengthLong() > MAX_BODY_BYTES || bytes.length > MAX_BODY_BYTES) {
        drain(in);
        throw new ApiException(413, "RequestEntityTooLarge", "Request entity too large: limit is " + MAX_BODY_BYTES);
      }
      return bytes;
    }
  }

  /**
   * Reads and drops the rest of a refused body, up to {@link #MAX_DRAINED_BYTES}, so that a client
   * still writing it (kubectl over HTTP/1.1) reads the 413 instead of a broken pipe. Bigger bodies
   * are cut off: the connection closes and the client sees the write fail.
   */
  private static void drain(InputStream in) throws IOException {
    long skipped = 0;
    byte[] sink = new byte[64 * 1024];
    int n;
    while (skipped < MAX_DRAINED_BYTES && (n = in.read(sink)) >= 0) {
      skipped += n;
    }
  }

  static void sendJson(HttpServletResponse resp, int code, JsonNode body) throws IOException {
    byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
    resp.setStatus(code);
    resp.setContentType("application/json");
    resp.setContentLength(bytes.length);
    resp.getOutputStream().write(bytes);
  }

  static ObjectNode status(ApiException e) {
    ObjectNode status = Json.object();
    status.put("kind", "Status");
    status.put("apiVersion", "v1");
    status.putObject("metadata");
    status.put("status", "Failure");
    status.put("message", e.getMessage());
    status.put("reason", e.reason());
    if (e.kind() != null || e.name() != null || !e.causes().isEmpty()) {
      ObjectNode details = status.putObject("details");
      if (e.name() != null) {
        details.put("name", e.name());
      }
      if (e.kind() != null) {
        details.put("kind", e.kind());
      }
      if (!e.causes().isEmpty()) {
        var causes = details.putArray("causes");
        for (ApiException.Cause c : e.causes()) {
          causes.addObject().put("reason", c.reason()).put("message", c.message()).put("field", c.field());
        }
      }
    }
    status.put("code", e.code());
    return status;
  }

  private static void sendStatus(HttpServletResponse resp, ApiException e) throws IOException {
    if (resp.isCommitted()) {
      return;
    }
    resp.reset();
    sendJson(resp, e.code(), status(e));
  }
}
