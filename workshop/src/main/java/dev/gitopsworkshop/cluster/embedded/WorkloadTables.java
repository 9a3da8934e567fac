package dev.gitopsworkshop.cluster.embedded;

import static dev.gitopsworkshop.cluster.embedded.Tables.age;
import static dev.gitopsworkshop.cluster.embedded.Tables.col;
import static dev.gitopsworkshop.cluster.embedded.Tables.containers;
import static dev.gitopsworkshop.cluster.embedded.Tables.name;
import static dev.gitopsworkshop.cluster.embedded.Tables.number;
import static dev.gitopsworkshop.cluster.embedded.Tables.orNone;
import static dev.gitopsworkshop.cluster.embedded.Tables.selector;
import static dev.gitopsworkshop.cluster.embedded.Tables.wide;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code kubectl get} columns the API server prints for Jobs, CronJobs, StatefulSets,
 * DaemonSets, HorizontalPodAutoscalers, Endpoints, EndpointSlices and PersistentVolumeClaims.
 */
final class WorkloadTables {
  private WorkloadTables() {}

  static Optional<List<Tables.Column>> columns(String key) {
    return Optional.ofNullable(switch (key) {
      case "batch/jobs" -> List.of(name(), col("Status", WorkloadTables::jobStatus), col("Completions", WorkloadTables::completions),
          col("Duration", WorkloadTables::duration), Tables.age(),
          wide("Containers", o -> containers(o, "name")), wide("Images", o -> containers(o, "image")),
          wide("Selector", o -> selector(o.at("/spec/selector"))));
      case "batch/cronjobs" -> List.of(name(), col("Schedule", o -> o.at("/spec/schedule").asText()),
          col("Timezone", o -> orNone(o.at("/spec/timeZone").asText(""))),
          col("Suspend", o -> o.at("/spec/suspend").asBoolean(false) ? "True" : "False"),
          number("Active", o -> (long) o.at("/status/active").size()),
          col("Last Schedule", o -> o.at("/status/lastScheduleTime").isTextual() ? age(o.at("/status/lastScheduleTime").asText()) : "<none>"),
          Tables.age(),
          wide("Containers", o -> names(o.at("/spec/jobTemplate/spec/template/spec/containers"), "name")),
          wide("Images", o -> names(o.at("/spec/jobTemplate/spec/template/spec/containers"), "image")),
          wide("Selector", o -> o.at("/spec/jobTemplate/spec/selector").isObject() ? selector(o.at("/spec/jobTemplate/spec/selector")) : "<none>"));
      case "apps/statefulsets" -> List.of(name(),
          col("Ready", o -> o.at("/status/readyReplicas").asLong(0) + "/" + o.at("/spec/replicas").asLong(1)), Tables.age(),
          wide("Containers", o -> containers(o, "name")), wide("Images", o -> containers(o, "image")));
      case "apps/daemonsets" -> List.of(name(), number("Desired", o -> o.at("/status/desiredNumberScheduled").asLong(0)),
          number("Current", o -> o.at("/status/currentNumberScheduled").asLong(0)),
          number("Ready", o -> o.at("/status/numberReady").asLong(0)),
          number("Up-to-date", o -> o.at("/status/updatedNumberScheduled").asLong(0)),
          number("Available", o -> o.at("/status/numberAvailable").asLong(0)),
          col("Node Selector", o -> Tables.mapText(o.at("/spec/template/spec/nodeSelector"))), Tables.age(),
          wide("Containers", o -> containers(o, "name")), wide("Images", o -> containers(o, "image")),
          wide("Selector", o -> selector(o.at("/spec/selector"))));
      case "autoscaling/horizontalpodautoscalers" -> List.of(name(),
          col("Reference", o -> o.at("/spec/scaleTargetRef/kind").asText() + "/" + o.at("/spec/scaleTargetRef/name").asText()),
          col("Targets", WorkloadTables::targets), col("MinPods", o -> String.valueOf(o.at("/spec/minReplicas").asInt(1))),
          number("MaxPods", o -> o.at("/spec/maxReplicas").asLong()), number("Replicas", o -> o.at("/status/currentReplicas").asLong(0)),
          Tables.age());
      case "/endpoints" -> List.of(name(), col("Endpoints", WorkloadTables::endpoints), Tables.age());
      case "discovery.k8s.io/endpointslices" -> List.of(name(), col("AddressType", o -> o.path("addressType").asText()),
          col("Ports", o -> join(o.path("ports"), "port")), col("Endpoints", WorkloadTables::sliceAddresses), Tables.age());
      case "/persistentvolumeclaims" -> List.of(name(), col("Status", o -> o.at("/status/phase").asText("Pending")),
          col("Volume", o -> o.at("/spec/volumeName").asText("")),
          col("Capacity", o -> o.at("/status/capacity/storage").asText("")),
          col("Access Modes", o -> accessModes(o.at("/status/accessModes"))),
          col("StorageClass", o -> o.at("/spec/storageClassName").asText("<unset>")),
          col("VolumeAttributesClass", o -> o.at("/spec/volumeAttributesClassName").asText("<unset>")), Tables.age());
      default -> null;
    });
  }

  private static String jobStatus(JsonNode job) {
    for (String type : List.of("Failed", "Complete", "Suspended", "FailureTarget", "SuccessCriteriaMet")) {
      for (JsonNode c : job.at("/status/conditions")) {
        if (type.equals(c.path("type").asText()) && "True".equals(c.path("status").asText())) {
          return type;
        }
      }
    }
    return "Running";
  }

  private static String completions(JsonNode job) {
    long succeeded = job.at("/status/succeeded").asLong(0);
    if (job.at("/spec/completions").canConvertToLong()) {
      return succeeded + "/" + job.at("/spec/completions").asLong();
    }
    return succeeded + "/1 of " + job.at("/spec/parallelism").asLong(1);
  }

  private static String duration(JsonNode job) {
    if (!job.at("/status/startTime").isTextual()) {
      return "";
    }
    Instant start = Instant.parse(job.at("/status/startTime").asText());
    Instant end = job.at("/status/completionTime").isTextual() ? Instant.parse(job.at("/status/completionTime").asText()) : Instant.now();
    return age(Instant.now().minus(Duration.between(start, end)).toString());
  }

  private static String targets(JsonNode hpa) {
    List<String> out = new ArrayList<>();
    JsonNode metrics = hpa.at("/spec/metrics");
    for (int i = 0; i < metrics.size(); i++) {
      JsonNode m = metrics.get(i);
      JsonNode current = hpa.at("/status/currentMetrics").path(i);
      String name = m.at("/resource/name").asText(m.path("type").asText());
      JsonNode target = m.at("/resource/target");
      String want = target.has("averageUtilization") ? target.path("averageUtilization").asText() + "%"
          : target.path("averageValue").asText(target.path("value").asText(""));
      String have = current.at("/resource/current/averageUtilization").isNumber()
          ? current.at("/resource/current/averageUtilization").asText() + "%" : "<unknown>";
      out.add(name + ": " + have + "/" + want);
    }
    return out.isEmpty() ? "<none>" : String.join(", ", out);
  }

  private static String endpoints(JsonNode ep) {
    List<String> all = new ArrayList<>();
    for (JsonNode subset : ep.path("subsets")) {
      for (JsonNode a : subset.path("addresses")) {
        if (subset.path("ports").isEmpty()) {
          all.add(a.path("ip").asText());
        }
        for (JsonNode p : subset.path("ports")) {
          all.add(a.path("ip").asText() + ":" + p.path("port").asText());
        }
      }
    }
    return shortList(all);
  }

  private static String sliceAddresses(JsonNode slice) {
    List<String> all = new ArrayList<>();
    for (JsonNode e : slice.path("endpoints")) {
      e.path("addresses").forEach(a -> all.add(a.asText()));
    }
    return shortList(all);
  }

  private static String shortList(List<String> all) {
    if (all.isEmpty()) {
      return "<none>";
    }
    if (all.size() <= 3) {
      return String.join(",", all);
    }
    return String.join(",", all.subList(0, 3)) + " + " + (all.size() - 3) + " more...";
  }

  private static String join(JsonNode items, String field) {
    List<String> out = new ArrayList<>();
    items.forEach(i -> out.add(i.path(field).asText()));
    return out.isEmpty() ? "<unset>" : String.join(",", out);
  }

  private static String names(JsonNode containers, String field) {
    List<String> out = new ArrayList<>();
    containers.forEach(c -> out.add(c.path(field).asText()));
    return String.join(",", out);
  }

  private static String accessModes(JsonNode modes) {
    List<String> out = new ArrayList<>();
    for (JsonNode m : modes) {
      out.add(switch (m.asText()) {
        case "ReadWriteOnce" -> "RWO";
        case "ReadOnlyMany" -> "ROX";
        case "ReadWriteMany" -> "RWX";
        case "ReadWriteOncePod" -> "RWOP";
        default -> m.asText();
      });
    }
    return String.join(",", out);
  }
}
