package dev.gitopsworkshop.cluster.embedded.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.cluster.embedded.ApiException;
import dev.gitopsworkshop.cluster.embedded.Json;
import dev.gitopsworkshop.cluster.embedded.ResourceStore;
import dev.gitopsworkshop.cluster.embedded.ResourceType;
import dev.gitopsworkshop.cluster.embedded.ResourceTypes;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;

/**
 * CronJobs as kube-controller-manager runs them: at each time of the schedule (in
 * {@code timeZone}) a Job from the template named {@code <cronjob>-<minutes since the epoch>};
 * only the most recent missed time runs, and not past {@code startingDeadlineSeconds};
 * {@code concurrencyPolicy} Allow, Forbid or Replace; {@code suspend}; finished Jobs kept up to
 * the history limits; status {@code active}, {@code lastScheduleTime} and {@code lastSuccessfulTime}.
 */
final class CronJobController extends Controller {
  static final String SCHEDULED = "batch.kubernetes.io/cronjob-scheduled-timestamp";
  private final ResourceType cronJobs;
  private final ResourceType jobs;
  private final EventRecorder events;

  CronJobController(ResourceStore store, ResourceTypes types, ScheduledExecutorService timers, EventRecorder events) {
    super(store, types, timers);
    this.cronJobs = type("batch", "cronjobs");
    this.jobs = type("batch", "jobs");
    this.events = events;
    on(cronJobs, Controller::self);
    on(jobs, e -> owner(e, "CronJob"));
  }

  @Override
  protected String name() {
    return "cronjob-controller";
  }

  void start() {
    start(List.of(cronJobs));
  }

  @Override
  protected void reconcile(String namespace, String name) {
    Optional<ObjectNode> found = store.get(cronJobs, namespace, name);
    if (found.isEmpty() || PodTemplates.deleting(found.get())) {
      return;
    }
    ObjectNode cj = found.get();
    JsonNode spec = cj.path("spec");
    String uid = cj.at("/metadata/uid").asText();
    List<ObjectNode> owned = new ArrayList<>(store.list(jobs, namespace, j -> ReplicaSetController.ownedBy(j, uid)).items());
    ObjectNode status = cj.path("status").isObject() ? ((ObjectNode) cj.get("status")).deepCopy() : Json.object();
    List<ObjectNode> active = new ArrayList<>();
    for (ObjectNode j : owned) {
      if (JobController.finished(j)) {
        if (isActive(cj, j)) {
          boolean ok = complete(j);
          events.normal(cj, "cronjob-controller", "SawCompletedJob", "Saw completed job: " + j.at("/metadata/name").asText()
              + ", condition: " + (ok ? "Complete" : "Failed"));
          if (ok) {
            String when = j.at("/status/completionTime").asText(ResourceStore.now());
            if (!status.has("lastSuccessfulTime") || status.path("lastSuccessfulTime").asText().compareTo(when) < 0) {
              status.put("lastSuccessfulTime", when);
            }
          }
        }
      } else if (!PodTemplates.deleting(j)) {
        active.add(j);
      }
    }
    cleanUp(cj, owned);

    CronSchedule schedule;
    ZoneId zone;
    try {
      schedule = CronSchedule.parse(spec.path("schedule").asText());
      zone = CronSchedule.zone(spec.path("timeZone").asText(null));
    } catch (RuntimeException e) {
      events.warning(cj, "cronjob-controller", "UnparseableSchedule", "unparseable schedule: " + spec.path("schedule").asText() + " : " + e.getMessage());
      return;
    }
    ZonedDateTime now = ZonedDateTime.now(zone);
    String lastText = status.path("lastScheduleTime").asText(cj.at("/metadata/creationTimestamp").asText());
    ZonedDateTime last = Instant.parse(lastText).atZone(zone);
    ZonedDateTime due = null;
    int missed = 0;
    for (ZonedDateTime t = schedule.next(last); t != null && !t.isAfter(now); t = schedule.next(t)) {
      due = t;
      if (++missed > 100) {
        break;
      }
    }
    if (missed > 100) {
      events.warning(cj, "cronjob-controller", "TooManyMissedTimes",
          "too many missed start times: " + missed + ". Set or decrease .spec.startingDeadlineSeconds or check clock skew");
    }
    if (due != null && !spec.path("suspend").asBoolean(false)) {
      boolean tooLate = spec.path("startingDeadlineSeconds").canConvertToLong()
          && due.toInstant().plusSeconds(spec.path("startingDeadlineSeconds").asLong()).isBefore(Instant.now());
      String policy = spec.path("concurrencyPolicy").asText("Allow");
      if (tooLate) {
        events.warning(cj, "cronjob-controller", "MissSchedule", "Missed scheduled time to start a job: " + due.toOffsetDateTime());
        status.put("lastScheduleTime", due.toInstant().toString());
      } else if (policy.equals("Forbid") && !active.isEmpty()) {
        events.normal(cj, "cronjob-controller", "JobAlreadyActive",
            "Not starting job because prior execution is running and concurrency policy is Forbid");
      } else {
        if (policy.equals("Replace")) {
          for (ObjectNode j : active) {
            deleteJob(cj, j);
          }
          active.clear();
        }
        ObjectNode job = createJob(cj, due);
        if (job != null) {
          active.add(job);
        }
        status.put("lastScheduleTime", due.toInstant().toString());
      }
    }
    ArrayNode refs = Json.array();
    active.sort(Comparator.comparing(j -> j.at("/metadata/name").asText()));
    for (ObjectNode j : active) {
      refs.addObject().put("apiVersion", "batch/v1").put("kind", "Job").put("name", j.at("/metadata/name").asText())
          .put("namespace", namespace).put("resourceVersion", j.at("/metadata/resourceVersion").asText())
          .put("uid", j.at("/metadata/uid").asText());
    }
    if (refs.isEmpty()) {
      status.remove("active");
    } else {
      status.set("active", refs);
    }
    if (!sameIgnoringVersions(status, cj.path("status"))) {
      ObjectNode next = cj.deepCopy();
      next.set("status", status);
      store.update(cronJobs, next, ResourceStore.Part.STATUS, false);
    }
    ZonedDateTime after = schedule.next(ZonedDateTime.now(zone));
    if (after != null) {
      enqueueAfter(key(cj), Math.max(50, after.toInstant().toEpochMilli() - System.currentTimeMillis() + 50));
    }
  }

  private ObjectNode createJob(ObjectNode cj, ZonedDateTime at) {
    String name = cj.at("/metadata/name").asText() + "-" + at.toEpochSecond() / 60;
    ObjectNode job = Json.object();
    ObjectNode meta = job.putObject("metadata");
    meta.put("name", name);
    meta.put("namespace", cj.at("/metadata/namespace").asText());
    JsonNode template = cj.at("/spec/jobTemplate");
    if (template.at("/metadata/labels").isObject()) {
      meta.set("labels", template.at("/metadata/labels").deepCopy());
    }
    ObjectNode annotations = template.at("/metadata/annotations").isObject()
        ? ((ObjectNode) template.at("/metadata/annotations")).deepCopy() : Json.object();
    annotations.put(SCHEDULED, at.toOffsetDateTime().toString());
    meta.set("annotations", annotations);
    meta.putArray("ownerReferences").add(PodTemplates.ownerReference(cj));
    job.set("spec", template.path("spec").deepCopy());
    try {
      ObjectNode created = store.create(jobs, job, false);
      events.normal(cj, "cronjob-controller", "SuccessfulCreate", "Created job " + name);
      return created;
    } catch (ApiException e) {
      if (e.code() == 409) {
        return store.get(jobs, cj.at("/metadata/namespace").asText(), name).orElse(null);
      }
      events.warning(cj, "cronjob-controller", "FailedCreate", "Error creating job: " + e.getMessage());
      return null;
    }
  }

  /** Keeps the newest finished Jobs up to the history limits. */
  private void cleanUp(ObjectNode cj, List<ObjectNode> owned) {
    prune(cj, owned.stream().filter(j -> JobController.finished(j) && complete(j)).toList(),
        cj.at("/spec/successfulJobsHistoryLimit").asInt(3));
    prune(cj, owned.stream().filter(j -> JobController.finished(j) && !complete(j)).toList(),
        cj.at("/spec/failedJobsHistoryLimit").asInt(1));
  }

  private void prune(ObjectNode cj, List<ObjectNode> finished, int keep) {
    List<ObjectNode> sorted = new ArrayList<>(finished);
    sorted.sort(Comparator.comparing(j -> j.at("/metadata/creationTimestamp").asText() + j.at("/metadata/name").asText()));
    for (int i = 0; i < sorted.size() - keep; i++) {
      deleteJob(cj, sorted.get(i));
    }
  }

  private void deleteJob(ObjectNode cj, ObjectNode job) {
    if (deleteIfPresent(jobs, job.at("/metadata/namespace").asText(), job.at("/metadata/name").asText())) {
      events.normal(cj, "cronjob-controller", "SuccessfulDelete", "Deleted job " + job.at("/metadata/name").asText());
    }
  }


  private static boolean complete(JsonNode job) {
    for (JsonNode c : job.at("/status/conditions")) {
      if ("Complete".equals(c.path("type").asText()) && "True".equals(c.path("status").asText())) {
        return true;
      }
    }
    return false;
  }

  private static boolean isActive(ObjectNode cj, ObjectNode job) {
    for (JsonNode ref : cj.at("/status/active")) {
      if (job.at("/metadata/uid").asText().equals(ref.path("uid").asText())) {
        return true;
      }
    }
    return false;
  }

  /** Whether two statuses differ in more than the active Jobs' resourceVersions. */
  private static boolean sameIgnoringVersions(JsonNode a, JsonNode b) {
    JsonNode x = a.deepCopy();
    JsonNode y = b.deepCopy();
    for (JsonNode o : List.of(x, y)) {
      for (JsonNode ref : o.path("active")) {
        ((ObjectNode) ref).remove("resourceVersion");
      }
    }
    return x.equals(y);
  }
}
