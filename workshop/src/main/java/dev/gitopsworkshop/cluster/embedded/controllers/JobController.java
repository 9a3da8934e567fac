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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Jobs as kube-controller-manager runs them: pods of the template until {@code completions} have
 * succeeded ({@code parallelism} at a time; any one success for a work queue without completions;
 * one per index in Indexed mode), failed pods replaced after a growing back-off until more than
 * {@code backoffLimit} failed (or, with OnFailure, the containers restarted that often), then the
 * Job fails with BackoffLimitExceeded; {@code activeDeadlineSeconds}, {@code suspend} and
 * {@code ttlSecondsAfterFinished} are honoured. The status carries the counts, start and completion
 * times and the conditions {@code kubectl wait --for=condition=complete} reads.
 */
final class JobController extends Controller {
  static final String CONTROLLER_UID = "batch.kubernetes.io/controller-uid";
  static final String JOB_NAME = "batch.kubernetes.io/job-name";
  static final String INDEX = "batch.kubernetes.io/job-completion-index";
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JobController.class);
  private static final long BACKOFF_MILLIS = 10_000;
  private static final long MAX_BACKOFF_MILLIS = 360_000;
  private final ResourceType jobs;
  private final ResourceType pods;
  private final EventRecorder events;
  private final Map<String, Long> notBefore = new ConcurrentHashMap<>();
  private final Map<String, Integer> failuresSeen = new ConcurrentHashMap<>();

  JobController(ResourceStore store, ResourceTypes types, ScheduledExecutorService timers, EventRecorder events) {
    super(store, types, timers);
    this.jobs = type("batch", "jobs");
    this.pods = type("", "pods");
    this.events = events;
    on(jobs, Controller::self);
    on(pods, e -> owner(e, "Job"));
  }

  @Override
  protected String name() {
    return "job-controller";
  }

  void start() {
    start(List.of(jobs));
  }

  @Override
  protected void reconcile(String namespace, String name) {
    Optional<ObjectNode> found = store.get(jobs, namespace, name);
    if (found.isEmpty() || PodTemplates.deleting(found.get())) {
      return;
    }
    ObjectNode job = found.get();
    if (!job.at("/spec/selector").isObject() && !job.at("/spec/manualSelector").asBoolean(false)) {
      store.update(jobs, withSelector(job), ResourceStore.Part.MAIN, false);
      return; // the update comes back as an event
    }
    String uid = job.at("/metadata/uid").asText();
    List<ObjectNode> owned = store.list(pods, namespace, p -> ReplicaSetController.ownedBy(p, uid)).items();
    if (finished(job)) {
      expire(job);
      return;
    }
    JsonNode spec = job.path("spec");
    List<ObjectNode> active = owned.stream().filter(p -> !PodTemplates.terminal(p) && !PodTemplates.deleting(p)).toList();
    List<ObjectNode> succeededPods = owned.stream().filter(p -> p.at("/status/phase").asText().equals("Succeeded")).toList();
    int failed = (int) owned.stream().filter(p -> p.at("/status/phase").asText().equals("Failed")).count();
    boolean indexed = "Indexed".equals(spec.path("completionMode").asText());
    TreeSet<Integer> doneIndexes = new TreeSet<>();
    succeededPods.forEach(p -> doneIndexes.add(p.at("/metadata/annotations/" + INDEX.replace("/", "~1")).asInt(-1)));
    doneIndexes.remove(-1);
    int succeeded = indexed ? doneIndexes.size() : succeededPods.size();
    Integer completions = spec.path("completions").canConvertToInt() ? spec.path("completions").asInt() : null;
    int parallelism = spec.path("parallelism").asInt(1);
    int backoffLimit = spec.path("backoffLimit").asInt(6);
    ObjectNode status = job.path("status").isObject() ? ((ObjectNode) job.get("status")).deepCopy() : Json.object();
    String now = ResourceStore.now();
    boolean suspended = spec.path("suspend").asBoolean(false);

    String failure = null;
    String failureMessage = null;
    int restarts = restarts(active, spec);
    if (failed > backoffLimit || (restarts > 0 && restarts >= backoffLimit)) {
      failure = "BackoffLimitExceeded";
      failureMessage = "Job has reached the specified backoff limit";
    } else if (spec.path("activeDeadlineSeconds").canConvertToLong() && status.path("startTime").isTextual()
        && Instant.parse(status.path("startTime").asText()).plusSeconds(spec.path("activeDeadlineSeconds").asLong()).isBefore(Instant.now())) {
      failure = "DeadlineExceeded";
      failureMessage = "Job was active longer than specified deadline";
    }
    boolean complete = failure == null && (completions == null ? succeeded > 0 && active.isEmpty() : succeeded >= completions);

    if (failure != null || complete || suspended) {
      for (ObjectNode p : active) {
        deletePod(job, p);
      }
      active = List.of();
    } else {
      active = new ArrayList<>(active);
      if (failed > failuresSeen.getOrDefault(uid, 0)) {
        long backoff = Math.min(MAX_BACKOFF_MILLIS, BACKOFF_MILLIS << Math.min(failed - 1, 6));
        notBefore.put(uid, System.currentTimeMillis() + backoff);
      }
      failuresSeen.put(uid, failed);
      long wait = notBefore.getOrDefault(uid, 0L) - System.currentTimeMillis();
      int remaining = completions == null ? (succeeded > 0 ? 0 : parallelism) : completions - succeeded;
      int want = Math.min(parallelism, remaining) - active.size();
      if (want > 0 && wait > 0) {
        enqueueAfter(key(job), wait);
      } else if (want > 0) {
        if (!status.has("startTime")) {
          status.put("startTime", now);
        }
        List<Integer> indexes = new ArrayList<>();
        if (indexed) {
          TreeSet<Integer> busy = new TreeSet<>(doneIndexes);
          active.forEach(p -> busy.add(p.at("/metadata/annotations/" + INDEX.replace("/", "~1")).asInt(-1)));
          for (int i = 0; i < completions && indexes.size() < want; i++) {
            if (!busy.contains(i)) {
              indexes.add(i);
            }
          }
        } else {
          for (int i = 0; i < want; i++) {
            indexes.add(-1);
          }
        }
        for (int index : indexes) {
          ObjectNode pod = store.create(pods, newPod(job, index), false);
          active.add(pod);
          events.normal(job, "job-controller", "SuccessfulCreate", "Created pod: " + pod.at("/metadata/name").asText());
        }
      }
    }
    if (spec.path("activeDeadlineSeconds").canConvertToLong() && status.path("startTime").isTextual() && failure == null && !complete) {
      long deadline = Instant.parse(status.path("startTime").asText()).plusSeconds(spec.path("activeDeadlineSeconds").asLong()).toEpochMilli();
      enqueueAfter(key(job), Math.max(10, deadline - System.currentTimeMillis() + 50));
    }

    status.put("active", active.size());
    status.put("ready", (int) active.stream().filter(ReplicaSetController::ready).count());
    status.put("terminating", 0);
    status.put("succeeded", succeeded);
    status.put("failed", failed);
    status.putObject("uncountedTerminatedPods");
    if (indexed) {
      status.put("completedIndexes", ranges(doneIndexes));
    }
    ArrayNode conditions = status.has("conditions") ? (ArrayNode) status.get("conditions") : status.putArray("conditions");
    if (suspended && failure == null && !complete) {
      condition(conditions, "Suspended", "True", "JobSuspended", "Job suspended", now);
      status.remove("startTime");
    } else if (has(conditions, "Suspended")) {
      condition(conditions, "Suspended", "False", "JobResumed", "Job resumed", now);
    }
    if (failure != null) {
      condition(conditions, "FailureTarget", "True", failure, failureMessage, now);
      condition(conditions, "Failed", "True", failure, failureMessage, now);
      events.warning(job, "job-controller", failure, failureMessage);
    } else if (complete) {
      condition(conditions, "SuccessCriteriaMet", "True", "CompletionsReached", "Reached expected number of succeeded pods", now);
      condition(conditions, "Complete", "True", "CompletionsReached", "Reached expected number of succeeded pods", now);
      status.put("completionTime", now);
      events.normal(job, "job-controller", "Completed", "Job completed");
    }
    if (conditions.isEmpty()) {
      status.remove("conditions");
    }
    if (!status.equals(job.path("status"))) {
      ObjectNode next = job.deepCopy();
      next.set("status", status);
      store.update(jobs, next, ResourceStore.Part.STATUS, false);
    }
  }

  /** The selector and pod labels the API server gives a Job that does not choose its own. */
  private static ObjectNode withSelector(ObjectNode job) {
    ObjectNode next = job.deepCopy();
    String uid = job.at("/metadata/uid").asText();
    String name = job.at("/metadata/name").asText();
    next.with("spec").putObject("selector").putObject("matchLabels").put(CONTROLLER_UID, uid);
    ObjectNode labels = next.with("spec").with("template").with("metadata").with("labels");
    labels.put(CONTROLLER_UID, uid);
    labels.put(JOB_NAME, name);
    labels.put("controller-uid", uid);
    labels.put("job-name", name);
    return next;
  }

  private ObjectNode newPod(ObjectNode job, int index) {
    Map<String, String> labels = new LinkedHashMap<>();
    JsonNode template = job.at("/spec/template");
    if (index < 0) {
      return PodTemplates.pod(job, template, null, labels);
    }
    labels.put(INDEX, String.valueOf(index));
    ObjectNode t = ((ObjectNode) template).deepCopy();
    t.with("metadata").with("annotations").put(INDEX, String.valueOf(index));
    for (JsonNode c : t.at("/spec/containers")) {
      ((ObjectNode) c).withArray("env").addObject().put("name", "JOB_COMPLETION_INDEX")
          .putObject("valueFrom").putObject("fieldRef").put("fieldPath", "metadata.annotations['" + INDEX + "']");
    }
    t.with("spec").put("hostname", job.at("/metadata/name").asText() + "-" + index);
    ObjectNode pod = PodTemplates.pod(job, t, null, labels);
    ((ObjectNode) pod.get("metadata")).put("generateName", job.at("/metadata/name").asText() + "-" + index + "-");
    return pod;
  }

  private void deletePod(ObjectNode job, ObjectNode pod) {
    if (deleteIfPresent(pods, pod.at("/metadata/namespace").asText(), pod.at("/metadata/name").asText())) {
      events.normal(job, "job-controller", "SuccessfulDelete", "Deleted pod: " + pod.at("/metadata/name").asText());
    }
  }


  /** ttlSecondsAfterFinished: the finished Job (and, through the garbage collector, its pods) goes. */
  private void expire(ObjectNode job) {
    JsonNode ttl = job.at("/spec/ttlSecondsAfterFinished");
    String finishedAt = job.at("/status/completionTime").asText(conditionTime(job, "Failed"));
    if (!ttl.canConvertToLong() || finishedAt == null || finishedAt.isEmpty()) {
      return;
    }
    long due = Instant.parse(finishedAt).plusSeconds(ttl.asLong()).toEpochMilli() - System.currentTimeMillis();
    if (due > 0) {
      enqueueAfter(key(job), due + 50);
      return;
    }
    try {
      store.delete(jobs, job.at("/metadata/namespace").asText(), job.at("/metadata/name").asText(), job.at("/metadata/uid").asText(), false);
    } catch (ApiException e) {
      if (e.code() != 404 && e.code() != 409) {
        throw e;
      }
      LOG.debug("the finished Job {} went or changed before its TTL deleted it: {}", key(job), e.getMessage());
    }
  }

  static boolean finished(JsonNode job) {
    return "True".equals(conditionStatus(job, "Complete")) || "True".equals(conditionStatus(job, "Failed"));
  }

  private static String conditionStatus(JsonNode job, String type) {
    for (JsonNode c : job.at("/status/conditions")) {
      if (type.equals(c.path("type").asText())) {
        return c.path("status").asText();
      }
    }
    return null;
  }

  private static String conditionTime(JsonNode job, String type) {
    for (JsonNode c : job.at("/status/conditions")) {
      if (type.equals(c.path("type").asText())) {
        return c.path("lastTransitionTime").asText();
      }
    }
    return null;
  }

  private static boolean onFailure(JsonNode spec) {
    return "OnFailure".equals(spec.at("/template/spec/restartPolicy").asText());
  }

  private static int restarts(List<ObjectNode> active, JsonNode spec) {
    if (!onFailure(spec)) {
      return 0;
    }
    int n = 0;
    for (ObjectNode p : active) {
      for (JsonNode s : p.at("/status/containerStatuses")) {
        n += s.path("restartCount").asInt(0);
      }
    }
    return n;
  }

  private static boolean has(ArrayNode conditions, String type) {
    for (JsonNode c : conditions) {
      if (type.equals(c.path("type").asText())) {
        return true;
      }
    }
    return false;
  }

  private static void condition(ArrayNode conditions, String type, String status, String reason, String message, String now) {
    Conditions.set(conditions, type, status, reason, message, now);
    for (JsonNode c : conditions) {
      if (type.equals(c.path("type").asText()) && !c.has("lastProbeTime")) {
        ((ObjectNode) c).put("lastProbeTime", now);
      }
    }
  }

  /** Completed indexes as the API writes them: "0-2,4". */
  static String ranges(TreeSet<Integer> indexes) {
    StringBuilder sb = new StringBuilder();
    Integer start = null;
    Integer prev = null;
    for (int i : indexes) {
      if (start == null) {
        start = i;
      } else if (i != prev + 1) {
        append(sb, start, prev);
        start = i;
      }
      prev = i;
    }
    if (start != null) {
      append(sb, start, prev);
    }
    return sb.toString();
  }

  private static void append(StringBuilder sb, int from, int to) {
    if (sb.length() > 0) {
      sb.append(',');
    }
    sb.append(from == to ? String.valueOf(from) : from + "-" + to);
  }
}
