package dev.gitopsworkshop.cluster.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.cluster.embedded.ResourceType.PrinterColumn;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code meta.k8s.io/v1} Tables, the server-side printing {@code kubectl get} asks for: the columns
 * kube-apiserver gives each built-in kind, a CRD's additionalPrinterColumns for custom resources,
 * and NAME/AGE for the rest. Wide columns have priority 1.
 */
final class Tables {
  private Tables() {}

  /** How much of each object a row carries ({@code includeObject}). */
  enum Include {
    NONE, METADATA, OBJECT;

    static Include of(String param) {
      if (param == null || param.isEmpty() || param.equals("Metadata")) {
        return METADATA;
      }
      return switch (param) {
        case "None" -> NONE;
        case "Object" -> OBJECT;
        default -> throw ApiException.badRequest(
            "includeObject must be one of None, Metadata or Object, not \"" + param + "\"");
      };
    }
  }

  static ObjectNode table(ResourceType type, List<ObjectNode> items, Include include, long revision) {
    ObjectNode t = Json.object();
    t.put("kind", "Table");
    t.put("apiVersion", "meta.k8s.io/v1");
    t.putObject("metadata").put("resourceVersion", String.valueOf(revision));
    ArrayNode defs = t.putArray("columnDefinitions");
    for (PrinterColumn c : columns(type)) {
      ObjectNode d = defs.addObject();
      d.put("name", c.name());
      d.put("type", c.type().equals("date") ? "string" : c.type());
      d.put("format", c.name().equals("Name") ? "name" : "");
      d.put("description", c.description() == null ? "" : c.description());
      d.put("priority", c.priority());
    }
    ArrayNode rows = t.putArray("rows");
    for (ObjectNode o : items) {
      ObjectNode row = rows.addObject();
      ArrayNode cells = row.putArray("cells");
      for (Object c : cells(type, o)) {
        if (c instanceof Integer i) {
          cells.add(i);
        } else if (c instanceof Long l) {
          cells.add(l);
        } else if (c instanceof Double d) {
          cells.add(d);
        } else if (c instanceof Boolean b) {
          cells.add(b);
        } else {
          cells.add(String.valueOf(c));
        }
      }
      switch (include) {
        case OBJECT -> row.set("object", o);
        case METADATA -> {
          ObjectNode partial = row.putObject("object");
          partial.put("kind", "PartialObjectMetadata");
          partial.put("apiVersion", "meta.k8s.io/v1");
          partial.set("metadata", o.get("metadata"));
        }
        case NONE -> { }
      }
    }
    return t;
  }

  private static PrinterColumn col(String name, String type, int priority) {
    return new PrinterColumn(name, type, "", "", priority);
  }

  static List<PrinterColumn> columns(ResourceType type) {
    if (!type.builtIn()) {
      List<PrinterColumn> out = new ArrayList<>(List.of(col("Name", "string", 0)));
      if (type.columns().isEmpty()) {
        out.add(col("Age", "date", 0));
      } else {
        out.addAll(type.columns());
      }
      return out;
    }
    List<String> names =
        switch (type.group() + "/" + type.kind()) {
          case "apps/Deployment" -> List.of("Ready", "Up-to-date:integer", "Available:integer", "Age",
              "Containers:1", "Images:1", "Selector:1");
          case "apps/ReplicaSet" -> List.of("Desired:integer", "Current:integer", "Ready:integer", "Age",
              "Containers:1", "Images:1", "Selector:1");
          case "apps/StatefulSet" -> List.of("Ready", "Age", "Containers:1", "Images:1");
          case "/Pod" -> List.of("Ready", "Status", "Restarts", "Age", "IP:1", "Node:1", "Nominated Node:1",
              "Readiness Gates:1");
          case "/Node" -> List.of("Status", "Roles", "Age", "Version", "Internal-IP:1", "External-IP:1",
              "OS-Image:1", "Kernel-Version:1", "Container-Runtime:1");
          case "/Service" -> List.of("Type", "Cluster-IP", "External-IP", "Port(s)", "Age", "Selector:1");
          case "/Namespace" -> List.of("Status", "Age");
          case "/ConfigMap" -> List.of("Data:integer", "Age");
          case "/Secret" -> List.of("Type", "Data:integer", "Age");
          case "/Event" -> List.of("Last Seen", "Type", "Reason", "Object", "Message");
          case "apiextensions.k8s.io/CustomResourceDefinition" -> List.of("Created At:date");
          default -> List.of("Age");
        };
    List<PrinterColumn> out = new ArrayList<>();
    if (!type.kind().equals("Event") || !type.group().isEmpty()) {
      out.add(col("Name", "string", 0));
    }
    for (String n : names) {
      String[] parts = n.split(":");
      String colType = parts.length > 1 && !parts[1].equals("1") ? parts[1] : "string";
      out.add(col(parts[0], colType, n.endsWith(":1") ? 1 : 0));
    }
    if (type.kind().equals("Event") && type.group().isEmpty()) {
      out.add(col("Name", "string", 1));
    }
    return out;
  }

  static List<Object> cells(ResourceType type, ObjectNode o) {
    JsonNode meta = o.path("metadata");
    JsonNode spec = o.path("spec");
    JsonNode status = o.path("status");
    String name = meta.path("name").asText();
    String age = age(meta.path("creationTimestamp").asText(""));
    if (!type.builtIn()) {
      List<Object> cells = new ArrayList<>(List.of(name));
      if (type.columns().isEmpty()) {
        cells.add(age);
      }
      for (PrinterColumn c : type.columns()) {
        String v = JsonPath.text(o, c.jsonPath());
        cells.add(c.type().equals("date") && !v.isEmpty() ? age(v) : typed(v, c.type()));
      }
      return cells;
    }
    return switch (type.group() + "/" + type.kind()) {
      case "apps/Deployment" -> List.of(name,
          status.path("readyReplicas").asInt() + "/" + spec.path("replicas").asInt(),
          status.path("updatedReplicas").asInt(), status.path("availableReplicas").asInt(), age,
          containers(spec, "name"), containers(spec, "image"), selector(spec.path("selector")));
      case "apps/ReplicaSet" -> List.of(name, spec.path("replicas").asInt(), status.path("replicas").asInt(),
          status.path("readyReplicas").asInt(), age, containers(spec, "name"), containers(spec, "image"),
          selector(spec.path("selector")));
      case "apps/StatefulSet" -> List.of(name,
          status.path("readyReplicas").asInt() + "/" + spec.path("replicas").asInt(), age,
          containers(spec, "name"), containers(spec, "image"));
      case "/Pod" -> PodRow.cells(o, age);
      case "/Node" -> NodeRow.cells(o, age);
      case "/Service" -> List.of(name, spec.path("type").asText("ClusterIP"), orNone(spec.path("clusterIP").asText("")),
          externalIp(o), ports(spec), age, selectorMap(spec.path("selector")));
      case "/Namespace" -> List.of(name, status.path("phase").asText("Active"), age);
      case "/ConfigMap" -> List.of(name, o.path("data").size() + o.path("binaryData").size(), age);
      case "/Secret" -> List.of(name, o.path("type").asText("Opaque"), o.path("data").size(), age);
      case "/Event" -> List.of(eventAge(o), o.path("type").asText(""), o.path("reason").asText(""),
          o.path("involvedObject").path("kind").asText("").toLowerCase() + "/"
              + o.path("involvedObject").path("name").asText(""),
          o.path("message").asText(""), name);
      case "apiextensions.k8s.io/CustomResourceDefinition" -> List.of(name, meta.path("creationTimestamp").asText(""));
      default -> List.of(name, age);
    };
  }

  private static Object typed(String v, String type) {
    if (v.isEmpty()) {
      return v;
    }
    try {
      return switch (type) {
        case "integer" -> Long.parseLong(v);
        case "number" -> Double.parseDouble(v);
        case "boolean" -> Boolean.parseBoolean(v);
        default -> v;
      };
    } catch (NumberFormatException e) {
      return v;
    }
  }

  private static String eventAge(ObjectNode o) {
    for (String f : new String[] {"lastTimestamp", "eventTime", "firstTimestamp"}) {
      String t = o.path(f).asText("");
      if (!t.isEmpty() && !t.equals("null")) {
        return age(t);
      }
    }
    return age(o.path("metadata").path("creationTimestamp").asText(""));
  }

  private static String containers(JsonNode spec, String field) {
    List<String> out = new ArrayList<>();
    spec.path("template").path("spec").path("containers").forEach(c -> out.add(c.path(field).asText()));
    return String.join(",", out);
  }

  static String selector(JsonNode selector) {
    List<String> out = new ArrayList<>();
    selector.path("matchLabels").fields().forEachRemaining(e -> out.add(e.getKey() + "=" + e.getValue().asText()));
    for (JsonNode e : selector.path("matchExpressions")) {
      List<String> values = new ArrayList<>();
      e.path("values").forEach(v -> values.add(v.asText()));
      String key = e.path("key").asText();
      out.add(switch (e.path("operator").asText()) {
        case "In" -> key + " in (" + String.join(",", values) + ")";
        case "NotIn" -> key + " notin (" + String.join(",", values) + ")";
        case "DoesNotExist" -> "!" + key;
        default -> key;
      });
    }
    return out.isEmpty() ? "<none>" : String.join(",", out);
  }

  private static String selectorMap(JsonNode labels) {
    List<String> out = new ArrayList<>();
    labels.fields().forEachRemaining(e -> out.add(e.getKey() + "=" + e.getValue().asText()));
    return out.isEmpty() ? "<none>" : String.join(",", out);
  }

  private static String externalIp(ObjectNode svc) {
    JsonNode spec = svc.path("spec");
    List<String> ips = new ArrayList<>();
    spec.path("externalIPs").forEach(ip -> ips.add(ip.asText()));
    switch (spec.path("type").asText("ClusterIP")) {
      case "ExternalName" -> {
        return spec.path("externalName").asText("<none>");
      }
      case "LoadBalancer" -> {
        svc.path("status").path("loadBalancer").path("ingress")
            .forEach(i -> ips.add(i.has("ip") ? i.path("ip").asText() : i.path("hostname").asText()));
        return ips.isEmpty() ? "<pending>" : String.join(",", ips);
      }
      default -> {
        return ips.isEmpty() ? "<none>" : String.join(",", ips);
      }
    }
  }

  private static String ports(JsonNode spec) {
    List<String> out = new ArrayList<>();
    for (JsonNode p : spec.path("ports")) {
      String s = p.path("port").asText();
      if (p.has("nodePort")) {
        s += ":" + p.path("nodePort").asText();
      }
      out.add(s + "/" + p.path("protocol").asText("TCP"));
    }
    return out.isEmpty() ? "<none>" : String.join(",", out);
  }

  static String orNone(String s) {
    return s == null || s.isEmpty() ? "<none>" : s;
  }

  /** A timestamp's age as kubectl prints it: 45s, 3m12s, 17m, 5h3m, 2d4h, 40d, 3y12d. */
  static String age(String timestamp) {
    if (timestamp == null || timestamp.isEmpty()) {
      return "<unknown>";
    }
    try {
      return human(Duration.between(Instant.parse(timestamp), Instant.now()));
    } catch (RuntimeException e) {
      return "<unknown>";
    }
  }

  static String human(Duration d) {
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
    long days = h / 24;
    if (h < 24 * 365 * 8) {
      return days % 365 == 0 ? (days / 365) + "y" : (days / 365) + "y" + (days % 365) + "d";
    }
    return (days / 365) + "y";
  }
}
