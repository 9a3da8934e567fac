package dev.gitopsworkshop.lab;

import dev.gitopsworkshop.Mappers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.WorkshopException;
import dev.gitopsworkshop.state.ControlPaths;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Serves the lab console's control endpoints ({@link ControlPaths}): what only the lab's own
 * process can do, offered to the lab's commands (the instructor's demos), with the token lab.json
 * holds. Small and the same in
 * every cluster mode; JSON in and out; a refusal is {@code 409 {"error": ..., "hint": ...}}.
 *
 * <ul>
 *   <li>{@code GET /control/nudge}: {@code {"enabled": true}}; {@code PUT} with {@code {"enabled": false}}
 *       switches the nudges and answers the state before as {@code previous}.
 *   <li>{@code POST /control/cluster/replace} with {@code {"yesDeleteNamespace": false}}: a new, empty
 *       cluster in place of this one ({@code {"mode": ..., "replaced": "..."}}).
 *   <li>{@code POST /control/operator/restore}: the operator installed again from the workshop
 *       repository's {@code flux/} ({@code {"applied": [...]}}).
 * </ul>
 */
public final class LabControl {
  private LabControl() {}

  static void register(Lab lab) {
    lab.console().control(ControlPaths.NUDGE, new Endpoint() {
      @Override
      ObjectNode answer(String method, JsonNode body) {
        ObjectNode out = Mappers.JSON.createObjectNode();
        boolean before = lab.nudger().enabled();
        if (method.equals("PUT")) {
          JsonNode enabled = body.path("enabled");
          if (!enabled.isBoolean()) {
            throw WorkshopException.usage("PUT " + ControlPaths.NUDGE + " needs {\"enabled\": true|false}", null);
          }
          lab.nudger().enabled(enabled.asBoolean());
          out.put("previous", before);
        } else if (!method.equals("GET")) {
          throw WorkshopException.usage(method + " " + ControlPaths.NUDGE + " is not served", "use GET or PUT");
        }
        out.put("enabled", lab.nudger().enabled());
        return out;
      }
    });
    lab.console().control(ControlPaths.REPLACE_CLUSTER, new Endpoint() {
      @Override
      ObjectNode answer(String method, JsonNode body) {
        requirePost(method, ControlPaths.REPLACE_CLUSTER);
        String replaced = lab.replaceCluster(body.path("yesDeleteNamespace").asBoolean(false));
        return Mappers.JSON.createObjectNode().put("mode", lab.cluster().mode().label()).put("replaced", replaced);
      }
    });
    lab.console().control(ControlPaths.RESTORE_OPERATOR, new Endpoint() {
      @Override
      ObjectNode answer(String method, JsonNode body) {
        requirePost(method, ControlPaths.RESTORE_OPERATOR);
        List<String> applied = lab.restoreOperator();
        ObjectNode out = Mappers.JSON.createObjectNode();
        applied.forEach(out.putArray("applied")::add);
        return out;
      }
    });
  }

  private static void requirePost(String method, String path) {
    if (!method.equals("POST")) {
      throw WorkshopException.usage(method + " " + path + " is not served", "use POST");
    }
  }

  /** JSON in, JSON out; a WorkshopException becomes 409 (400 for bad usage) with its message and hint. */
  private abstract static class Endpoint extends HttpServlet {
    abstract ObjectNode answer(String method, JsonNode body);

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      ObjectNode out;
      int code = 200;
      try {
        byte[] raw = req.getInputStream().readAllBytes();
        JsonNode body = raw.length == 0 ? Mappers.JSON.createObjectNode() : Mappers.JSON.readTree(raw);
        out = answer(req.getMethod(), body);
      } catch (WorkshopException e) {
        code = e.exitCode() == WorkshopException.USAGE ? 400 : 409;
        out = Mappers.JSON.createObjectNode().put("error", e.getMessage());
        if (e.hint() != null) {
          out.put("hint", e.hint());
        }
      } catch (IOException | RuntimeException e) {
        code = 500;
        out = Mappers.JSON.createObjectNode().put("error", String.valueOf(e.getMessage()));
      }
      resp.setStatus(code);
      resp.setContentType("application/json");
      resp.getOutputStream().write((Mappers.JSON.writeValueAsString(out) + "\n").getBytes(StandardCharsets.UTF_8));
    }
  }
}
