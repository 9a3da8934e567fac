package dev.gitopsworkshop.cluster.embedded.controllers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitopsworkshop.cluster.embedded.podinfo.PodinfoStandIn;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The kubelet's probes of a container that really answers (a podinfo stand-in): {@code httpGet}
 * (a named or numbered port, path, headers; success for a status from 200 to 399) and
 * {@code tcpSocket} are executed against it, with initialDelaySeconds, periodSeconds,
 * successThreshold and failureThreshold as the kubelet counts them. {@code exec} and {@code grpc}
 * probes cannot run on the embedded cluster and pass.
 */
final class Prober {
  /** Where one probe of one container stands. */
  static final class State {
    final String kind;
    final JsonNode spec;
    long nextAt;
    int successes;
    int failures;
    boolean passing;

    State(String kind, JsonNode spec, long startedAt) {
      this.kind = kind;
      this.spec = spec;
      this.nextAt = startedAt + spec.path("initialDelaySeconds").asLong(0) * 1000;
      this.passing = kind.equals("Liveness");
    }

    long periodMillis() {
      return Math.max(1, spec.path("periodSeconds").asLong(10)) * 1000;
    }

    /** Counts one result; true when the probe's verdict changed. */
    boolean record(boolean ok) {
      if (ok) {
        successes++;
        failures = 0;
      } else {
        failures++;
        successes = 0;
      }
      boolean before = passing;
      if (ok && successes >= spec.path("successThreshold").asInt(1)) {
        passing = true;
      } else if (!ok && failures >= spec.path("failureThreshold").asInt(3)) {
        passing = false;
      }
      return before != passing;
    }
  }

  private Prober() {}

  /** The failure, or null when the probe passes. */
  static String run(JsonNode probe, JsonNode container, PodinfoStandIn standIn, String podIp) {
    if (probe.has("httpGet")) {
      JsonNode get = probe.get("httpGet");
      int port = port(get.path("port"), container);
      String path = get.path("path").asText("/");
      String scheme = get.path("scheme").asText("HTTP").toLowerCase(java.util.Locale.ROOT);
      String url = scheme + "://" + podIp + ":" + port + path;
      if (port < 0 || !standIn.config().ports().contains(port)) {
        return "Get \"" + url + "\": dial tcp " + podIp + ":" + (port < 0 ? get.path("port").asText() : port) + ": connect: connection refused";
      }
      if (scheme.equals("https")) {
        return "Get \"" + url + "\": http: server gave HTTP response to HTTPS client";
      }
      Map<String, List<String>> headers = new LinkedHashMap<>();
      headers.put("User-Agent", List.of("kube-probe/1.33"));
      headers.put("Accept", List.of("*/*"));
      for (JsonNode h : get.path("httpHeaders")) {
        headers.computeIfAbsent(h.path("name").asText(), k -> new ArrayList<>()).add(h.path("value").asText());
      }
      int status = standIn.handle(port, "GET", path, headers).status();
      return status >= 200 && status < 400 ? null : "HTTP probe failed with statuscode: " + status;
    }
    if (probe.has("tcpSocket")) {
      int port = port(probe.at("/tcpSocket/port"), container);
      return port >= 0 && standIn.config().ports().contains(port) ? null
          : "dial tcp " + podIp + ":" + (port < 0 ? probe.at("/tcpSocket/port").asText() : port) + ": connect: connection refused";
    }
    return null;
  }

  /** A probe's port: a number, or the name of one of the container's ports (-1 when it has none of that name). */
  static int port(JsonNode port, JsonNode container) {
    if (port.isInt() || port.asText().matches("\\d+")) {
      return port.asInt(Integer.parseInt(port.asText("0")));
    }
    for (JsonNode p : container.path("ports")) {
      if (port.asText().equals(p.path("name").asText())) {
        return p.path("containerPort").asInt();
      }
    }
    return -1;
  }
}
