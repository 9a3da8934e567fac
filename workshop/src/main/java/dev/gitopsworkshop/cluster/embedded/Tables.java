package dev.gitopsworkshop.cluster.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.kube.JsonPaths;
import dev.gitopsworkshop.cluster.embedded.ResourceType.PrinterColumn;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Server-side printing: the {@code meta.k8s.io/v1} Table that {@code kubectl get} asks for, with
 * the columns a real API server gives for the built-in kinds and, for custom resources, their CRD's
 * additionalPrinterColumns.
 */
final class Tables {
  record Column(String name, String type, String format, int priority, Function<JsonNode, Object> cell) {}

  private Tables() {}

  /** A Table of the given objects; {@code includeObject}: None, Metadata (default) or Object. */
  static ObjectNode table(ResourceType type, List<ObjectNode> objects, long revision, String includeObject) {
    List<Column> columns = columns(type);
    ObjectNode table = Json.object();
    table.put("kind", "Table");
    table.put("apiVersion", "meta.k8s.io/v1");
    table.putObject("metadata").put("resourceVersion", String.valueOf(revision));
    ArrayNode defs = table.putArray("columnDefinitions");
    for (Column c : columns) {
      defs.addObject()
          .put("name", c.name())
          .put("type", c.type())
          .put("format", c.format())
          .put("description", c.name())
          .put("priority", c.priority());
    }
    ArrayNode rows = table.putArray("rows");
    for (ObjectNode o : objects) {
      ObjectNode row = rows.addObject();
      ArrayNode cells = row.putArray("cells");
      for (Column c : columns) {
        Object v = c.cell().apply(o);
        if (v instanceof Number n) {
          cells.add(n.longValue());
        } else {
          cells.add(v == null ? "" : v.toString());
        }
      }
      if ("Object".equalsIgnoreCase(includeObject)) {
        row.set("object", o);
      } else if (!"None".equalsIgnoreCase(includeObject)) {
        ObjectNode partial = row.putObject("object");
        partial.put("kind", "PartialObjectMetadata");
        partial.put("apiVersion", "meta.k8s.io/v1");
        partial.set("metadata", o.path("metadata").deepCopy());
      }
    }
    return table;
  }

  static Column name() {
    return new Column("Name", "string", "name", 0, o -> o.path("metadata").path("name").asText());
  }

  static Column age() {
    return new Column("Age", "string", "", 0, o -> age(o.path("metadata").path("creationTimestamp").asText(null)));
  }

  static Column col(String name, Function<JsonNode, Object> cell) {
    return new Column(name, "string", "", 0, cell);
  }

  static Column wide(String name, Function<JsonNode, Object> cell) {
    return new Column(name, "string", "", 1, cell);
  }

  static Column number(String name, Function<JsonNode, Object> cell) {
    return new Column(name, "integer", "", 0, cell);
  }

  private static List<Column> columns(ResourceType type) {
    if (!type.builtIn()) {
      return custom(type);
    }
    String key = type.group() + "/" + type.plural();
    return switch (key) {
      case "apps/deployments" ->
          List.of(
              name(),
              col("Ready", o -> o.at("/status/readyReplicas").asLong(0) + "/" + o.at("/spec/replicas").asLong(1)),
              number("Up-to-date", o -> o.at("/status/updatedReplicas").asLong(0)),
              number("Available", o -> o.at("/status/availableReplicas").asLong(0)),
              age(),
              wide("Containers", o -> containers(o, "name")),
              wide("Images", o -> containers(o, "image")),
              wide("Selector", o -> selector(o.at("/spec/selector"))));
      case "apps/replicasets" ->
          List.of(
              name(),
              number("Desired", o -> o.at("/spec/replicas").asLong(1)),
              number("Current", o -> o.at("/status/replicas").asLong(0)),
              number("Ready", o -> o.at("/status/readyReplicas").asLong(0)),
              age(),
              wide("Containers", o -> containers(o, "name")),
              wide("Images", o -> containers(o, "image")),
              wide("Selector", o -> selector(o.at("/spec/selector"))));
      case "/pods" ->
          List.of(
              name(),
              col("Ready", Tables::podReady),
              col("Status", Tables::podStatus),
              col("Restarts", Tables::restarts),
              age(),
              wide("IP", o -> orNone(o.at("/status/podIP").asText(""))),
              wide("Node", o -> orNone(o.at("/spec/nodeName").asText(""))),
              wide("Nominated Node", o -> "<none>"),
              wide("Readiness Gates", o -> "<none>"));
      case "/nodes" ->
          List.of(
              name(),
              col("Status", o -> condition(o, "Ready").equals("True") ? "Ready" : "NotReady"),
              col("Roles", Tables::roles),
              age(),
              col("Version", o -> o.at("/status/nodeInfo/kubeletVersion").asText("")),
              wide("Internal-IP", o -> address(o, "InternalIP")),
              wide("External-IP", o -> address(o, "ExternalIP")),
              wide("OS-Image", o -> o.at("/status/nodeInfo/osImage").asText("")),
              wide("Kernel-Version", o -> o.at("/status/nodeInfo/kernelVersion").asText("")),
              wide("Container-Runtime", o -> o.at("/status/nodeInfo/containerRuntimeVersion").asText("")));
      case "/services" ->
          List.of(
              name(),
              col("Type", o -> o.at("/spec/type").asText("ClusterIP")),
              col("Cluster-IP", o -> orNone(o.at("/spec/clusterIP").asText(""))),
              col("External-IP", o -> "<none>"),
              col("Port(s)", Tables::ports),
              age(),
              wide("Selector", o -> mapText(o.at("/spec/selector"))));
      case "/namespaces" -> List.of(name(), col("Status", o -> o.at("/status/phase").asText("Active")), age());
      case "/events", "events.k8s.io/events" ->
          List.of(
              col("Last Seen", o -> age(lastSeen(o))),
              col("Type", o -> o.path("type").asText("")),
              col("Reason", o -> o.path("reason").asText("")),
              col("Object", Tables::involved),
              col("Message", o -> o.path("message").asText(o.path("note").asText(""))));
      case "/configmaps" -> List.of(name(), number("Data", o -> (long) o.path("data").size() + o.path("binaryData").size()), age());
      case "/secrets" ->
          List.of(name(), col("Type", o -> o.path("type").asText("Opaque")), number("Data", o -> (long) o.path("data").size()), age());
      case "/serviceaccounts" -> List.of(name(), number("Secrets", o -> (long) o.path("secrets").size()), age());
      case "apiextensions.k8s.io/customresourcedefinitions" ->
          List.of(name(), col("Created At", o -> o.at("/metadata/creationTimestamp").asText("")));
      default -> WorkloadTables.columns(key).orElse(List.of(name(), age()));
    };
  }

  private static List<Column> custom(ResourceType type) {
    List<Column> cols = new ArrayList<>();
    cols.add(name());
    if (type.columns().isEmpty()) {
      cols.add(age());
      return cols;
    }
    for (PrinterColumn pc : type.columns()) {
      boolean date = "date".equals(pc.type());
      String colType = date ? "string" : pc.type();
      cols.add(
          new Column(
              pc.name(),
              colType,
              "",
              pc.priority(),
              o -> {
                JsonNode v = JsonPaths.read(o, pc.jsonPath());
                if (v.isMissingNode() || v.isNull()) {
                  return "";
                }
                if (date) {
                  return age(v.asText());
                }
                return v.isContainerNode() ? Json.write(v) : v.asText();
              }));
    }
    return cols;
  }

  // ---------------------------------------------------------------- cells

  /** How long ago, as kubectl prints it (45s, 3m12s, 5h, 2d3h...). */
  static String age(String timestamp) {
    if (timestamp == null || timestamp.isEmpty()) {
      return "<unknown>";
    }
    Duration d;
    try {
      d = Duration.between(Instant.parse(timestamp), Instant.now());
    } catch (RuntimeException e) {
      return "<unknown>";
    }
    long s = d.getSeconds();
    if (s < -1) {
      return "<invalid>";
    }
    if (s < 0) {
      return "0s";
    }
    if (s < 120) {
      return s + "s";
    }
    long m = s / 60;
    if (m < 10) {
      return s % 60 == 0 ? m + "m" : m + "m" + (s % 60) + "s";
    }
    if (m < 180) {
      return m + "m";
    }
    long h = m / 60;
    if (h < 8) {
      return m % 60 == 0 ? h + "h" : h + "h" + (m % 60) + "m";
    }
    if (h < 48) {
      return h + "h";
    }
    if (h < 24 * 8) {
      return h % 24 == 0 ? (h / 24) + "d" : (h / 24) + "d" + (h % 24) + "h";
    }
    if (h < 24 * 365 * 2) {
      return (h / 24) + "d";
    }
    return (h / 24 / 365) + "y";
  }

  static String containers(JsonNode o, String field) {
    List<String> out = new ArrayList<>();
    o.at("/spec/template/spec/containers").forEach(c -> out.add(c.path(field).asText()));
    return String.join(",", out);
  }

  static String selector(JsonNode sel) {
    List<String> out = new ArrayList<>();
    sel.path("matchLabels").fields().forEachRemaining(e -> out.add(e.getKey() + "=" + e.getValue().asText()));
    for (JsonNode e : sel.path("matchExpressions")) {
      List<String> values = new ArrayList<>();
      e.path("values").forEach(v -> values.add(v.asText()));
      String op = e.path("operator").asText();
      String key = e.path("key").asText();
      out.add(switch (op) {
        case "In" -> key + " in (" + String.join(",", values) + ")";
        case "NotIn" -> key + " notin (" + String.join(",", values) + ")";
        case "DoesNotExist" -> "!" + key;
        default -> key;
      });
    }
    return out.isEmpty() ? "<none>" : String.join(",", out);
  }

  static String mapText(JsonNode map) {
    List<String> out = new ArrayList<>();
    map.fields().forEachRemaining(e -> out.add(e.getKey() + "=" + e.getValue().asText()));
    return out.isEmpty() ? "<none>" : String.join(",", out);
  }

  private static String podReady(JsonNode o) {
    int total = o.at("/spec/containers").size();
    int ready = 0;
    for (JsonNode s : o.at("/status/containerStatuses")) {
      if (s.path("ready").asBoolean()) {
        ready++;
      }
    }
    return ready + "/" + total;
  }

  /** The STATUS column as kubectl computes it: a waiting or terminated reason wins over the phase. */
  static String podStatus(JsonNode o) {
    String reason = o.at("/status/reason").asText(o.at("/status/phase").asText("Pending"));
    for (JsonNode s : o.at("/status/containerStatuses")) {
      String waiting = s.at("/state/waiting/reason").asText("");
      String terminated = s.at("/state/terminated/reason").asText("");
      if (!waiting.isEmpty()) {
        reason = waiting;
      } else if (!terminated.isEmpty()) {
        reason = terminated;
      }
    }
    if (o.at("/metadata/deletionTimestamp").isTextual()) {
      reason = "Terminating";
    }
    return reason;
  }

  /** The RESTARTS cell as the API server prints it: the count, and how long ago the last one was. */
  private static String restarts(JsonNode o) {
    long n = 0;
    String last = null;
    for (JsonNode s : o.at("/status/containerStatuses")) {
      n += s.path("restartCount").asLong(0);
      String finished = s.at("/lastState/terminated/finishedAt").asText("");
      if (!finished.isEmpty() && (last == null || finished.compareTo(last) > 0)) {
        last = finished;
      }
    }
    return n > 0 && last != null ? n + " (" + age(last) + " ago)" : String.valueOf(n);
  }

  private static String condition(JsonNode o, String type) {
    for (JsonNode c : o.at("/status/conditions")) {
      if (type.equals(c.path("type").asText())) {
        return c.path("status").asText();
      }
    }
    return "Unknown";
  }

  private static String roles(JsonNode o) {
    List<String> roles = new ArrayList<>();
    o.at("/metadata/labels").fieldNames().forEachRemaining(k -> {
      if (k.startsWith("node-role.kubernetes.io/")) {
        roles.add(k.substring("node-role.kubernetes.io/".length()));
      }
    });
    return roles.isEmpty() ? "<none>" : String.join(",", roles);
  }

  private static String address(JsonNode o, String type) {
    for (JsonNode a : o.at("/status/addresses")) {
      if (type.equals(a.path("type").asText())) {
        return a.path("address").asText();
      }
    }
    return "<none>";
  }

  private static String ports(JsonNode o) {
    List<String> out = new ArrayList<>();
    for (JsonNode p : o.at("/spec/ports")) {
      String port = p.path("port").asText();
      if (p.has("nodePort")) {
        port += ":" + p.path("nodePort").asText();
      }
      out.add(port + "/" + p.path("protocol").asText("TCP"));
    }
    return out.isEmpty() ? "<none>" : String.join(",", out);
  }

  static String orNone(String s) {
    return s.isEmpty() ? "<none>" : s;
  }

  private static String lastSeen(JsonNode o) {
    for (String f : List.of("lastTimestamp", "eventTime", "firstTimestamp")) {
      String v = o.path(f).asText("");
      if (!v.isEmpty() && !v.equals("null")) {
        return v;
      }
    }
    return o.at("/metadata/creationTimestamp").asText("");
  }

  private static String involved(JsonNode o) {
    JsonNode ref = o.has("involvedObject") ? o.path("involvedObject") : o.path("regarding");
    return ref.path("kind").asText("").toLowerCase() + "/" + ref.path("name").asText("");
  }
}
