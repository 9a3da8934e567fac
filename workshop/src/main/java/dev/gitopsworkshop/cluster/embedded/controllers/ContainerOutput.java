package dev.gitopsworkshop.cluster.embedded.controllers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.cluster.embedded.ContainerLog;
import dev.gitopsworkshop.cluster.embedded.Json;
import dev.gitopsworkshop.cluster.embedded.podinfo.PodinfoConfig;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * What a simulated container writes, in the spirit of KWOK: podinfo's own start lines (zap JSON,
 * as podinfo writes them) for the podinfo stand-in, the echo lines of a command the simulation
 * follows, and otherwise one line saying that the container is simulated.
 */
final class ContainerOutput {
  private static final DateTimeFormatter ZAP_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");

  private ContainerOutput() {}

  static void started(ContainerLog log, ObjectNode pod, ContainerRun run) {
    String image = run.spec.path("image").asText();
    if (PodinfoConfig.isPodinfo(image)) {
      PodinfoConfig config = PodinfoConfig.of(pod, run.spec);
      log.write(zap("podinfo/main.go:170", "Starting podinfo", "version", config.version(), "revision", "stand-in",
          "port", String.valueOf(config.port())));
      if (config.metricsPort() > 0) {
        log.write(zap("http/server.go:318", "Starting metrics server.", "addr", ":" + config.metricsPort()));
      }
      log.write(zap("http/server.go:273", "Starting HTTP Server.", "addr", ":" + config.port()));
    } else if (run.command.known()) {
      run.command.output().forEach(log::write);
    } else {
      log.write("[embedded cluster] container " + run.name + " started from image " + image
          + ": simulated, the embedded cluster runs no containers (start the lab with --cluster k3s to run it)");
    }
  }

  private static String zap(String caller, String msg, String... fields) {
    ObjectNode line = Json.object();
    line.put("level", "info");
    line.put("ts", ZAP_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)));
    line.put("caller", caller);
    line.put("msg", msg);
    for (int i = 0; i + 1 < fields.length; i += 2) {
      line.put(fields[i], fields[i + 1]);
    }
    return Json.write(line);
  }
}
