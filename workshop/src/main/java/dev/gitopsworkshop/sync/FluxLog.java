package dev.gitopsworkshop.sync;

import dev.gitopsworkshop.kube.KubeKind;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.Mappers;
import dev.gitopsworkshop.cluster.embedded.ContainerLog;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/**
 * A Flux controller's own log, in the format its container writes it ({@code --log-encoding=json}:
 * zap's JSON encoder with ISO 8601 times), one object a line: {@code level}, {@code ts},
 * {@code msg}, then controller-runtime's keys for the object being reconciled
 * ({@code controller}, {@code controllerGroup}, {@code controllerKind}, {@code <Kind>: {name,
 * namespace}}, {@code namespace}, {@code name}, {@code reconcileID}) and the line's own
 * ({@code revision}, {@code error}...). {@code kubectl logs} on the controller's pod shows them.
 */
public final class FluxLog {
  private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSX").withZone(ZoneOffset.UTC);
  private final ContainerLog out;

  public FluxLog(ContainerLog out) {
    this.out = out;
  }

  public static FluxLog discard() {
    return new FluxLog(ContainerLog.DISCARD);
  }

  /** A line about the controller itself (start-up), with {@code logger} when given. */
  public void info(String logger, String msg, Object... keyValues) {
    write(start("info", logger, msg), keyValues);
  }

  /** The lines of one reconcile of one object: they share its identity and a reconcile ID. */
  public Reconcile reconcile(KubeKind kind, String namespace, String name) {
    return new Reconcile(kind, namespace, name, UUID.randomUUID().toString());
  }

  /** The keys controller-runtime puts on every line about a controller of {@code kind}. */
  static void controller(ObjectNode line, KubeKind kind) {
    line.put("controller", kind.kind().toLowerCase());
    line.put("controllerGroup", kind.apiVersion().substring(0, kind.apiVersion().indexOf('/')));
    line.put("controllerKind", kind.kind());
  }

  public final class Reconcile {
    private final KubeKind kind;
    private final String namespace;
    private final String name;
    private final String id;

    private Reconcile(KubeKind kind, String namespace, String name, String id) {
      this.kind = kind;
      this.namespace = namespace;
      this.name = name;
      this.id = id;
    }

    public void info(String msg, Object... keyValues) {
      write(about(start("info", null, msg)), keyValues);
    }

    /** An error line; {@code error} comes last, as zap writes logr's error. */
    public void error(String msg, String error, Object... keyValues) {
      Object[] all = java.util.Arrays.copyOf(keyValues, keyValues.length + 2);
      all[keyValues.length] = "error";
      all[keyValues.length + 1] = error;
      write(about(start("error", null, msg)), all);
    }

    private ObjectNode about(ObjectNode line) {
      if (kind != null) {
        controller(line, kind);
        line.putObject(kind.kind()).put("name", name).put("namespace", namespace);
      }
      line.put("namespace", namespace);
      line.put("name", name);
      line.put("reconcileID", id);
      return line;
    }
  }

  private static ObjectNode start(String level, String logger, String msg) {
    ObjectNode line = Mappers.JSON.createObjectNode();
    line.put("level", level);
    line.put("ts", TS.format(Instant.now()));
    if (logger != null) {
      line.put("logger", logger);
    }
    line.put("msg", msg);
    return line;
  }

  private void write(ObjectNode line, Object... keyValues) {
    for (int i = 0; i + 1 < keyValues.length; i += 2) {
      Object v = keyValues[i + 1];
      if (v instanceof JsonNode j) {
        line.set(String.valueOf(keyValues[i]), j);
      } else if (v instanceof Number num) {
        line.put(String.valueOf(keyValues[i]), num.longValue());
      } else {
        line.put(String.valueOf(keyValues[i]), String.valueOf(v));
      }
    }
    out.write(Mappers.write(line));
  }
}
