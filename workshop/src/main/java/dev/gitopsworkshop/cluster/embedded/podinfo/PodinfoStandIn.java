package dev.gitopsworkshop.cluster.embedded.podinfo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.gitopsworkshop.Mappers;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The built-in stand-in for a podinfo container: it answers podinfo's HTTP API ({@code /},
 * {@code /version}, {@code /healthz}, {@code /readyz} and its enable/disable switches, {@code /env},
 * {@code /headers}, {@code /api/info}) with the pod's own values: the tag that runs as version, the
 * pod's name as hostname, message and colour from {@code PODINFO_UI_MESSAGE}/{@code
 * PODINFO_UI_COLOR} or the flags. It is not podinfo: the revision says "stand-in", and a browser
 * gets a small page instead of podinfo's UI. On the metrics port it answers {@code /healthz},
 * {@code /readyz} and {@code /metrics}.
 */
public final class PodinfoStandIn {
  /** Indented as Go's json.Indent with two spaces, as podinfo answers. */
  private static final ObjectWriter PRETTY = Mappers.JSON.writer(
      new DefaultPrettyPrinter(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
          .withObjectIndenter(new DefaultIndenter("  ", "\n"))
          .withArrayIndenter(new DefaultIndenter("  ", "\n")));
  private final PodinfoConfig config;
  private final AtomicBoolean ready;

  /** An HTTP answer. */
  public record Response(int status, String contentType, byte[] body) {
    static Response json(JsonNode node) {
      try {
        return new Response(200, "application/json; charset=utf-8", PRETTY.writeValueAsBytes(node));
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }

    static Response status(int code) {
      return new Response(code, "text/plain; charset=utf-8", new byte[0]);
    }

    static Response notFound() {
      return new Response(404, "text/plain; charset=utf-8", "404 page not found\n".getBytes(StandardCharsets.UTF_8));
    }
  }

  public PodinfoStandIn(PodinfoConfig config) {
    this.config = config;
    this.ready = new AtomicBoolean(!config.unready());
  }

  public PodinfoConfig config() {
    return config;
  }

  /** Answers one request on {@code port} (the HTTP port or the metrics port). */
  public Response handle(int port, String method, String path, Map<String, List<String>> headers) {
    String p = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
    if (p.length() > 1 && p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    if (port != config.port()) {
      return switch (p) {
        case "/healthz" -> health(!config.unhealthy());
        case "/readyz" -> health(ready.get());
        case "/metrics" -> new Response(200, "text/plain; version=0.0.4; charset=utf-8",
            ("# HELP podinfo_info podinfo stand-in\n# TYPE podinfo_info gauge\npodinfo_info{version=\"" + config.version() + "\"} 1\n")
                .getBytes(StandardCharsets.UTF_8));
        default -> Response.notFound();
      };
    }
    boolean get = method.equals("GET") || method.equals("HEAD");
    return switch (p) {
      case "/", "/api/info" -> !get ? Response.status(405)
          : browser(headers) && p.equals("/") ? page() : Response.json(info());
      case "/version" -> get ? Response.json(Mappers.JSON.createObjectNode().put("commit", "stand-in").put("version", config.version()))
          : Response.status(405);
      case "/healthz" -> get ? health(!config.unhealthy()) : Response.status(405);
      case "/readyz" -> get ? health(ready.get()) : Response.status(405);
      case "/readyz/enable" -> toggle(method, true);
      case "/readyz/disable" -> toggle(method, false);
      case "/env" -> method.equals("GET") || method.equals("POST") ? Response.json(env()) : Response.status(405);
      case "/headers" -> method.equals("GET") || method.equals("POST") ? Response.json(headersOf(headers)) : Response.status(405);
      default -> Response.notFound();
    };
  }

  private Response toggle(String method, boolean to) {
    if (!method.equals("POST")) {
      return Response.status(405);
    }
    ready.set(to);
    return Response.status(202);
  }

  private static Response health(boolean ok) {
    return ok ? Response.json(Mappers.JSON.createObjectNode().put("status", "OK")) : Response.status(503);
  }

  private ObjectNode info() {
    ObjectNode o = Mappers.JSON.createObjectNode();
    o.put("hostname", config.hostname());
    o.put("version", config.version());
    o.put("revision", "stand-in");
    o.put("color", config.color());
    o.put("logo", config.logo());
    o.put("message", config.message());
    o.put("goos", "linux");
    o.put("goarch", "amd64");
    o.put("runtime", "gitops-workshop stand-in");
    o.put("num_goroutine", "8");
    o.put("num_cpu", String.valueOf(Runtime.getRuntime().availableProcessors()));
    return o;
  }

  private ArrayNode env() {
    ArrayNode out = Mappers.JSON.createArrayNode();
    config.env().forEach((k, v) -> out.add(k + "=" + v));
    return out;
  }

  private static ObjectNode headersOf(Map<String, List<String>> headers) {
    ObjectNode out = Mappers.JSON.createObjectNode();
    headers.forEach((k, values) -> {
      ArrayNode a = out.putArray(canonical(k));
      values.forEach(a::add);
    });
    return out;
  }

  /** Go's canonical header name (user-agent: User-Agent), as podinfo's /headers prints them. */
  private static String canonical(String name) {
    StringBuilder sb = new StringBuilder();
    boolean upper = true;
    for (char c : name.toLowerCase(Locale.ROOT).toCharArray()) {
      sb.append(upper ? Character.toUpperCase(c) : c);
      upper = c == '-';
    }
    return sb.toString();
  }

  private static boolean browser(Map<String, List<String>> headers) {
    for (Map.Entry<String, List<String>> e : headers.entrySet()) {
      if (e.getKey().equalsIgnoreCase("User-Agent") && e.getValue().stream().anyMatch(v -> v.startsWith("Mozilla"))) {
        return true;
      }
    }
    return false;
  }

  private Response page() {
    String html = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>%1$s</title></head>
        <body style="margin:0;font-family:sans-serif;background:%2$s;color:#fff;display:flex;align-items:center;justify-content:center;height:100vh">
        <main style="text-align:center">
        <h1>%3$s</h1>
        <p>podinfo v%4$s on %1$s</p>
        <p style="opacity:.7;font-size:small">the embedded cluster's stand-in for podinfo (start the lab with --cluster k3s to run the real one)</p>
        </main></body></html>
        """.formatted(escape(config.hostname()), escape(config.color()), escape(config.message()), escape(config.version()));
    return new Response(200, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
  }

  private static String escape(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
