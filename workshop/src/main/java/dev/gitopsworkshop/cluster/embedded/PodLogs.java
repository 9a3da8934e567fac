package dev.gitopsworkshop.cluster.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET pods/NAME/log}: a container's output as the kubelet kept it ({@link ContainerLogs}),
 * with kubectl's options: {@code container}, {@code follow} (streamed until the container stops or
 * the client goes), {@code previous}, {@code tailLines}, {@code sinceSeconds}/{@code sinceTime},
 * {@code timestamps} and {@code limitBytes}, and the kubelet's answers for a container that has no
 * output to give (waiting to start, no previous run).
 */
final class PodLogs {
  /** The kubelet's fixed-width RFC 3339 timestamps (nine fractional digits). */
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);
  private static final long FOLLOW_POLL_MILLIS = 500;
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PodLogs.class);

  private PodLogs() {}

  static void serve(HttpServletRequest req, HttpServletResponse resp, ObjectNode pod, ContainerLogs logs)
      throws IOException {
    Options o = Options.of(req);
    String podName = pod.at("/metadata/name").asText();
    String container = container(pod, o.container);
    Optional<ContainerLogs.Run> run = runOf(pod, container, o.previous, logs);
    List<ContainerLogs.Line> lines = select(run.map(ContainerLogs.Run::lines).orElse(List.of()), o);
    resp.setStatus(200);
    resp.setContentType("text/plain");
    ServletOutputStream out = resp.getOutputStream();
    long[] budget = {o.limitBytes == null ? Long.MAX_VALUE : o.limitBytes};
    long seq = -1;
    for (ContainerLogs.Line l : lines) {
      if (!write(out, l, o.timestamps, budget)) {
        return;
      }
    }
    List<ContainerLogs.Line> kept = run.map(ContainerLogs.Run::lines).orElse(List.of());
    if (!kept.isEmpty()) {
      seq = kept.get(kept.size() - 1).seq();
    }
    out.flush();
    if (!o.follow || run.isEmpty() || o.previous) {
      return;
    }
    ContainerLogs.Run r = run.get();
    try {
      while (true) {
        List<ContainerLogs.Line> next = r.after(seq, FOLLOW_POLL_MILLIS);
        for (ContainerLogs.Line l : next) {
          seq = l.seq();
          if (!write(out, l, o.timestamps, budget)) {
            return;
          }
        }
        if (next.isEmpty() && r.ended()) {
          return;
        }
        out.flush();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      LOG.debug("a client stopped following the log of {}: {}", podName, e.toString());
    }
  }

  /** Writes one line within the byte budget; false once the budget is spent. */
  private static boolean write(ServletOutputStream out, ContainerLogs.Line line, boolean timestamps, long[] budget)
      throws IOException {
    String text = (timestamps ? STAMP.format(line.time()) + " " : "") + line.text() + "\n";
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    if (bytes.length >= budget[0]) {
      out.write(bytes, 0, (int) budget[0]);
      budget[0] = 0;
      return false;
    }
    out.write(bytes);
    budget[0] -= bytes.length;
    return true;
  }

  private static List<ContainerLogs.Line> select(List<ContainerLogs.Line> all, Options o) {
    List<ContainerLogs.Line> out = new ArrayList<>();
    for (ContainerLogs.Line l : all) {
      if (o.since == null || !l.time().isBefore(o.since)) {
        out.add(l);
      }
    }
    if (o.tailLines != null && out.size() > o.tailLines) {
      return out.subList(out.size() - (int) (long) o.tailLines, out.size());
    }
    return out;
  }

  /** The container asked for, or the pod's only one; 400 with the kubelet's words otherwise. */
  private static String container(ObjectNode pod, String asked) {
    List<String> names = names(pod.at("/spec/containers"));
    List<String> init = names(pod.at("/spec/initContainers"));
    List<String> ephemeral = names(pod.at("/spec/ephemeralContainers"));
    String podName = pod.at("/metadata/name").asText();
    if (asked == null || asked.isEmpty()) {
      if (names.size() == 1) {
        return names.get(0);
      }
      String message = "a container name must be specified for pod " + podName + ", choose one of: " + names;
      if (!init.isEmpty()) {
        message += " or one of the init containers: " + init;
      }
      throw ApiException.badRequest(message);
    }
    if (!names.contains(asked) && !init.contains(asked) && !ephemeral.contains(asked)) {
      throw ApiException.badRequest("container " + asked + " is not valid for pod " + podName);
    }
    return asked;
  }

  private static Optional<ContainerLogs.Run> runOf(ObjectNode pod, String container, boolean previous, ContainerLogs logs) {
    String uid = pod.at("/metadata/uid").asText();
    String podName = pod.at("/metadata/name").asText();
    JsonNode status = statusOf(pod, container);
    if (previous) {
      // the run lastState names: the one before the current run, or the last one while it waits to restart
      boolean running = status.at("/state/running").isObject();
      Optional<ContainerLogs.Run> run = running ? logs.previous(uid, container) : logs.current(uid, container);
      if (run.isEmpty() || status.at("/lastState/terminated").isMissingNode()) {
        throw ApiException.badRequest("previous terminated container \"" + container + "\" in pod \"" + podName + "\" not found");
      }
      return run;
    }
    Optional<ContainerLogs.Run> run = logs.current(uid, container);
    JsonNode waiting = status.at("/state/waiting");
    if (run.isEmpty() && waiting.isObject()) {
      String reason = waiting.path("reason").asText("ContainerCreating");
      String why = switch (reason) {
        case "ErrImagePull" -> "image can't be pulled";
        case "ImagePullBackOff" -> "trying and failing to pull image";
        default -> reason;
      };
      throw ApiException.badRequest("container \"" + container + "\" in pod \"" + podName + "\" is waiting to start: " + why);
    }
    if (run.isEmpty() && status.isMissingNode()) {
      throw ApiException.badRequest("container \"" + container + "\" in pod \"" + podName + "\" is waiting to start: ContainerCreating");
    }
    return run;
  }

  private static JsonNode statusOf(ObjectNode pod, String container) {
    for (String list : List.of("containerStatuses", "initContainerStatuses", "ephemeralContainerStatuses")) {
      for (JsonNode s : pod.path("status").path(list)) {
        if (container.equals(s.path("name").asText())) {
          return s;
        }
      }
    }
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }

  private static List<String> names(JsonNode containers) {
    List<String> out = new ArrayList<>();
    containers.forEach(c -> out.add(c.path("name").asText()));
    return out;
  }

  /** The query parameters of a log request, checked as the API server checks PodLogOptions. */
  private record Options(String container, boolean follow, boolean previous, boolean timestamps,
      Long tailLines, Instant since, Long limitBytes) {

    static Options of(HttpServletRequest req) {
      Long tail = number(req, "tailLines", 0);
      Long sinceSeconds = number(req, "sinceSeconds", 1);
      Long limit = number(req, "limitBytes", 1);
      String sinceTime = req.getParameter("sinceTime");
      if (sinceSeconds != null && sinceTime != null) {
        throw ApiException.invalid("PodLogOptions", "", "sinceSeconds", "at most one of `sinceTime` or `sinceSeconds` may be specified");
      }
      Instant since = sinceSeconds == null ? null : Instant.now().minusSeconds(sinceSeconds);
      if (sinceTime != null) {
        try {
          since = OffsetDateTime.parse(sinceTime).toInstant();
        } catch (DateTimeParseException e) {
          throw ApiException.badRequest("sinceTime: invalid time \"" + sinceTime + "\" (RFC 3339 expected, e.g. 2024-01-31T12:00:00Z)");
        }
      }
      return new Options(req.getParameter("container"), flag(req, "follow"), flag(req, "previous"),
          flag(req, "timestamps"), tail, since, limit);
    }

    private static boolean flag(HttpServletRequest req, String name) {
      String v = req.getParameter(name);
      return v != null && (v.equals("true") || v.equals("1"));
    }

    private static Long number(HttpServletRequest req, String name, long min) {
      String v = req.getParameter(name);
      if (v == null || v.isEmpty()) {
        return null;
      }
      long n;
      try {
        n = Long.parseLong(v);
      } catch (NumberFormatException e) {
        throw ApiException.badRequest(name + ": invalid number \"" + v + "\"");
      }
      if (n < min) {
        throw ApiException.invalid("PodLogOptions", "", name, "Invalid value: " + n + ": must be greater than "
            + (min == 0 ? "or equal to 0" : "0"));
      }
      return n;
    }
  }
}
