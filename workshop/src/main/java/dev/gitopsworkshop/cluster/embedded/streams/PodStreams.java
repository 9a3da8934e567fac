package dev.gitopsworkshop.cluster.embedded.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.cluster.embedded.ApiException;
import dev.gitopsworkshop.cluster.embedded.PodPorts;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.HttpStream;
import org.eclipse.jetty.server.Request;

/**
 * The pod subresources that stream: {@code portforward} over the protocols kubectl speaks (SPDY/3.1
 * tunneled in a WebSocket, kubectl's default since 1.31, or SPDY/3.1 on the upgraded connection,
 * older kubectl and the fallback), and {@code exec}, {@code attach} (and so {@code cp}, and
 * {@code run -it}) answered with why the embedded cluster cannot: it runs no containers.
 */
public final class PodStreams implements AutoCloseable {
  static final String PORT_FORWARD = "portforward.k8s.io";
  static final String TUNNELED = "SPDY/3.1+" + PORT_FORWARD;
  private final PodPorts ports;
  private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "pod-stream");
    t.setDaemon(true);
    return t;
  });

  public PodStreams(PodPorts ports) {
    this.ports = ports;
  }

  /** Whether the request asks for one of these subresources (a WebSocket upgrade to them is theirs to answer). */
  public static boolean streams(String subresource) {
    return "exec".equals(subresource) || "attach".equals(subresource) || "portforward".equals(subresource);
  }

  public void serve(HttpServletRequest req, HttpServletResponse resp, ObjectNode pod, String subresource) throws IOException {
    String name = pod.at("/metadata/name").asText();
    if (!subresource.equals("portforward")) {
      String container = req.getParameter("container");
      if (container == null || container.isEmpty()) {
        container = pod.at("/spec/containers/0/name").asText();
      }
      String verb = subresource.equals("exec") ? "exec into" : "attach to";
      throw ApiException.badRequest("the embedded cluster runs no containers, so it cannot " + verb + " container \"" + container
          + "\" of pod \"" + name + "\" (it is simulated): kubectl exec, attach, cp and run -it need a real cluster, "
          + "start the lab with --cluster k3s");
    }
    if (!"Running".equals(pod.at("/status/phase").asText())) {
      throw ApiException.badRequest("pod " + name + " is not running (its phase is " + pod.at("/status/phase").asText("Pending")
          + "), so it has no port to forward to");
    }
    String uid = pod.at("/metadata/uid").asText();
    if (!ports.servesAny(uid)) {
      List<String> images = new ArrayList<>();
      pod.at("/spec/containers").forEach(c -> images.add(c.path("image").asText()));
      throw ApiException.badRequest("nothing listens in pod " + name + ": the embedded cluster runs no containers, and only podinfo"
          + " images have a built-in stand-in that answers on its port (this pod runs " + String.join(", ", images)
          + "); start the lab with --cluster k3s to forward to it");
    }
    if ("websocket".equalsIgnoreCase(req.getHeader("Upgrade"))) {
      List<String> offered = offered(req, "Sec-WebSocket-Protocol");
      if (!offered.contains(TUNNELED)) {
        throw ApiException.badRequest("port-forward over WebSocket is served with the subprotocol " + TUNNELED
            + " (kubectl 1.31 and newer); this client offered " + offered + ": use kubectl port-forward");
      }
      resp.setHeader("Upgrade", "websocket");
      resp.setHeader("Sec-WebSocket-Accept", WebSocketConnection.accept(req.getHeader("Sec-WebSocket-Key")));
      resp.setHeader("Sec-WebSocket-Protocol", TUNNELED);
      upgrade(req, resp, (in, out) -> {
        WebSocketConnection ws = new WebSocketConnection(in, out);
        SpdyFramer framer = new SpdyFramer(ws.input(), ws.output());
        PortForwardSession session = new PortForwardSession(framer, name, uid, ports, threads);
        return () -> {
          try {
            session.run();
          } finally {
            ws.close(1000, "");
          }
        };
      });
      return;
    }
    if (req.getHeader("Upgrade") != null && req.getHeader("Upgrade").toUpperCase(java.util.Locale.ROOT).startsWith("SPDY/3.1")) {
      if (!offered(req, "X-Stream-Protocol-Version").contains(PORT_FORWARD)) {
        throw ApiException.badRequest("port-forward is served with the stream protocol " + PORT_FORWARD);
      }
      resp.setHeader("Upgrade", "SPDY/3.1");
      resp.setHeader("X-Stream-Protocol-Version", PORT_FORWARD);
      upgrade(req, resp, (in, out) -> new PortForwardSession(new SpdyFramer(in, out), name, uid, ports, threads));
      return;
    }
    throw ApiException.badRequest("Upgrade request required");
  }

  /** Answers 101 and hands the connection, once Jetty has sent that, to {@code session}. */
  private void upgrade(HttpServletRequest req, HttpServletResponse resp,
      java.util.function.BiFunction<java.io.InputStream, java.io.OutputStream, Runnable> session) throws IOException {
    Request core = ServletContextRequest.getServletContextRequest(req);
    EndPoint endPoint = core.getConnectionMetaData().getConnection().getEndPoint();
    core.setAttribute(HttpStream.UPGRADE_CONNECTION_ATTRIBUTE, new UpgradedConnection(endPoint, threads, session));
    resp.setStatus(101);
    resp.setHeader("Connection", "Upgrade");
    resp.flushBuffer();
  }

  private static List<String> offered(HttpServletRequest req, String header) {
    List<String> out = new ArrayList<>();
    for (String v : Collections.list(req.getHeaders(header))) {
      for (String p : v.split(",")) {
        if (!p.isBlank()) {
          out.add(p.trim());
        }
      }
    }
    return out;
  }

  @Override
  public void close() {
    threads.shutdownNow();
  }

  /** A pod's ephemeral containers cannot be changed: a debug container would have nothing to run. */
  public static ApiException debugRefused(JsonNode pod) {
    return ApiException.badRequest("the embedded cluster runs no containers, so it cannot add a debug container to pod \""
        + pod.at("/metadata/name").asText() + "\": kubectl debug needs a real cluster, start the lab with --cluster k3s");
  }
}
