package dev.gitopsworkshop.cluster.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.Predicate;

/**
 * CRUD on the resources of {@link ResourceTypes}: get, list, create, replace, patch, delete and
 * deletecollection, and the status, scale and log subresources. Validation, defaulting and
 * CustomResourceDefinition registration happen here, before anything is stored, so a rejected
 * request changes nothing.
 */
final class ResourceHandler {
  private final ResourceStore store;
  private final ResourceTypes types;
  private final CrdRegistrar crds;
  private final ResourceWriter writer;

  ResourceHandler(ResourceStore store, ResourceTypes types) {
    this.store = store;
    this.types = types;
    this.crds = new CrdRegistrar(store, types);
    this.writer = new ResourceWriter(store, types, crds);
  }

  ResourceType type(ApiRequest req) {
    ResourceType type =
        types.byPlural(req.group(), req.version(), req.resource())
            .orElseThrow(() -> ApiException.notFound("the server could not find the requested resource"));
    if (!type.namespaced() && req.namespace() != null) {
      throw ApiException.notFound("the server could not find the requested resource");
    }
    if (type.namespaced() && req.namespace() == null && req.name() != null) {
      throw ApiException.notFound("the server could not find the requested resource");
    }
    return type;
  }

  static Predicate<ObjectNode> filter(ApiRequest req) {
    Predicate<ObjectNode> labels = Selectors.labels(req.param("labelSelector"));
    Predicate<ObjectNode> fields = Selectors.fields(req.param("fieldSelector"));
    return labels.and(fields);
  }

  Reply handle(ApiRequest req, ResourceType type, byte[] body) {
    if (req.subresource() != null) {
      return subresource(req, type, body);
    }
    if (req.name() == null) {
      return switch (req.method()) {
        case "GET" -> list(req, type);
        case "POST" -> Reply.created(writer.create(req, type, body));
        case "DELETE" -> deleteCollection(req, type, body);
        default -> throw methodNotAllowed(req);
      };
    }
    return switch (req.method()) {
      case "GET" -> Reply.ok(asTableIfAsked(req, type, get(type, req.namespace(), req.name())));
      case "PUT" -> Reply.ok(writer.replace(req, type, body, ResourceStore.Part.MAIN));
      case "PATCH" -> writer.patch(req, type, body, ResourceStore.Part.MAIN);
      case "DELETE" -> Reply.ok(writer.delete(req, type, req.name(), body));
      default -> throw methodNotAllowed(req);
    };
  }

  private ObjectNode get(ResourceType type, String namespace, String name) {
    return store.get(type, namespace, name).orElseThrow(() -> ApiException.notFound(type, name));
  }

  private static JsonNode asTableIfAsked(ApiRequest req, ResourceType type, ObjectNode obj) {
    if (!req.wantsTable()) {
      return obj;
    }
    long rv = obj.path("metadata").path("resourceVersion").asLong();
    return Tables.table(type, List.of(obj), Tables.Include.of(req.param("includeObject")), rv);
  }

  private Reply list(ApiRequest req, ResourceType type) {
    ResourceStore.ListResult result = store.list(type, req.namespace(), filter(req));
    if (req.wantsTable()) {
      return Reply.ok(Tables.table(type, result.items(), Tables.Include.of(req.param("includeObject")), result.revision()));
    }
    return Reply.ok(listObject(type, result.items(), result.revision()));
  }

  static ObjectNode listObject(ResourceType type, List<ObjectNode> items, long revision) {
    ObjectNode list = Json.object();
    list.put("kind", type.kind() + "List");
    list.put("apiVersion", type.apiVersion());
    list.putObject("metadata").put("resourceVersion", String.valueOf(revision));
    ArrayNode array = list.putArray("items");
    items.forEach(array::add);
    return list;
  }

  private Reply deleteCollection(ApiRequest req, ResourceType type, byte[] body) {
    ResourceStore.ListResult result = store.list(type, req.namespace(), filter(req));
    ArrayNode deleted = Json.array();
    for (ObjectNode o : result.items()) {
      String ns = o.path("metadata").path("namespace").asText(null);
      try {
        deleted.add(writer.delete(req.withNamespace(ns), type, o.path("metadata").path("name").asText(), body));
      } catch (ApiException e) {
        if (e.code() != 404) {
          throw e;
        }
      }
    }
    ObjectNode list = listObject(type, List.of(), store.revision());
    list.set("items", deleted);
    return Reply.ok(list);
  }

  private Reply subresource(ApiRequest req, ResourceType type, byte[] body) {
    String sub = req.subresource();
    if (sub.equals("status") && type.hasStatus()) {
      return switch (req.method()) {
        case "GET" -> Reply.ok(get(type, req.namespace(), req.name()));
        case "PUT" -> Reply.ok(writer.replace(req, type, body, ResourceStore.Part.STATUS));
        case "PATCH" -> writer.patch(req, type, body, ResourceStore.Part.STATUS);
        default -> throw methodNotAllowed(req);
      };
    }
    if (sub.equals("scale") && type.hasScale()) {
      return Reply.ok(new Scales(store, writer).handle(req, type, body));
    }
    if (sub.equals("log") && type.group().isEmpty() && type.plural().equals("pods") && req.method().equals("GET")) {
      ObjectNode pod = get(type, req.namespace(), req.name());
      String container = req.param("container");
      if (container == null || container.isEmpty()) {
        container = pod.path("spec").path("containers").path(0).path("name").asText("");
      }
      String image = "";
      for (JsonNode c : pod.path("spec").path("containers")) {
        if (c.path("name").asText().equals(container)) {
          image = c.path("image").asText();
        }
      }
      if (image.isEmpty()) {
        throw ApiException.badRequest(
            "container " + container + " is not valid for pod " + req.name());
      }
      return Reply.text("container " + container + " (" + image + ") is simulated by the embedded cluster; it writes no log\n");
    }
    throw ApiException.notFound("the server could not find the requested resource");
  }

  private static ApiException methodNotAllowed(ApiRequest req) {
    return new ApiException(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");
  }
}
