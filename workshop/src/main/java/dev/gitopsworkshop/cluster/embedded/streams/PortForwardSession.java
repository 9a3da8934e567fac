package dev.gitopsworkshop.cluster.embedded.streams;

import dev.gitopsworkshop.cluster.embedded.PodPorts;
import dev.gitopsworkshop.cluster.embedded.podinfo.PodinfoServer;
import dev.gitopsworkshop.cluster.embedded.podinfo.PodinfoStandIn;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code kubectl port-forward} connection, as the kubelet serves portforward.k8s.io over SPDY:
 * each local connection arrives as an error stream and a data stream with the same
 * {@code requestid} and the remote {@code port}; the data stream is joined to the pod's port
 * (its podinfo stand-in), and a port nothing listens on gets the kubelet's error on the error
 * stream. Everything is closed when the client goes, however it goes.
 */
final class PortForwardSession implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(PortForwardSession.class);
  private static final int CANCEL = 5;
  private final SpdyFramer framer;
  private final String podName;
  private final String podUid;
  private final PodPorts ports;
  private final ExecutorService pumps;
  private final Map<Integer, Forward> byStream = new ConcurrentHashMap<>();
  private final Map<String, Forward> byRequest = new ConcurrentHashMap<>();

  PortForwardSession(SpdyFramer framer, String podName, String podUid, PodPorts ports, ExecutorService pumps) {
    this.framer = framer;
    this.podName = podName;
    this.podUid = podUid;
    this.ports = ports;
    this.pumps = pumps;
  }

  /** One forwarded connection: its two streams and, once joined, the pod's side. */
  private final class Forward {
    final String requestId;
    final int port;
    volatile int errorStream;
    volatile int dataStream;
    volatile PodinfoServer.Connection target;
    volatile OutputStream toTarget;
    volatile boolean closed;
    private boolean errorEnded;

    Forward(String requestId, int port) {
      this.requestId = requestId;
      this.port = port;
    }

    /** Ends the error stream (empty: no error) once; the client waits for that end. */
    synchronized void endErrorStream() {
      if (errorEnded || errorStream == 0) {
        return;
      }
      errorEnded = true;
      try {
        framer.data(errorStream, new byte[0], 0, 0, true);
      } catch (IOException e) {
        LOG.debug("port-forward to {}: the client is gone: {}", podName, e.toString());
      }
    }

    synchronized void close() {
      if (closed) {
        return;
      }
      closed = true;
      if (target != null) {
        target.close();
      }
      byStream.remove(errorStream);
      byStream.remove(dataStream);
      byRequest.remove(requestId);
    }
  }

  @Override
  public void run() {
    try {
      for (SpdyFramer.Frame f; (f = framer.read()) != null; ) {
        switch (f.type()) {
          case SpdyFramer.SYN_STREAM -> stream(f);
          case 0 -> data(f);
          case SpdyFramer.RST_STREAM -> {
            Forward fw = byStream.get(f.streamId());
            if (fw != null) {
              fw.endErrorStream();
              fw.close();
            }
          }
          case SpdyFramer.PING -> framer.ping(f.value());
          case SpdyFramer.GOAWAY -> {
            return;
          }
          default -> {
            // SETTINGS, WINDOW_UPDATE, HEADERS: nothing to do
          }
        }
      }
    } catch (IOException e) {
      LOG.debug("port-forward to {} ended: {}", podName, e.toString());
    } finally {
      List.copyOf(byRequest.values()).forEach(Forward::close);
    }
  }

  private void stream(SpdyFramer.Frame f) throws IOException {
    String type = first(f.headers(), "streamtype");
    String portText = first(f.headers(), "port");
    String requestId = Optional.ofNullable(first(f.headers(), "requestid")).orElse(String.valueOf(f.streamId()));
    int port;
    try {
      port = Integer.parseInt(portText == null ? "" : portText);
    } catch (NumberFormatException e) {
      port = -1;
    }
    if ((!"error".equals(type) && !"data".equals(type)) || port < 1 || port > 65535) {
      LOG.info("port-forward to {}: refused a stream with streamType {} and port {}", podName, type, portText);
      framer.rst(f.streamId(), CANCEL);
      return;
    }
    int p = port;
    Forward fw = byRequest.computeIfAbsent(requestId, id -> new Forward(id, p));
    byStream.put(f.streamId(), fw);
    if (type.equals("error")) {
      fw.errorStream = f.streamId();
    } else {
      fw.dataStream = f.streamId();
    }
    framer.synReply(f.streamId());
    if (fw.errorStream != 0 && fw.dataStream != 0) {
      join(fw);
    }
  }

  /** Both streams are there: connect to the pod's port, or say on the error stream why not. */
  private void join(Forward fw) throws IOException {
    Optional<PodinfoStandIn> standIn = ports.listening(podUid, fw.port);
    if (standIn.isEmpty()) {
      String message = "error forwarding port " + fw.port + " to pod " + podName + ", uid " + podUid
          + ": dial tcp4 127.0.0.1:" + fw.port + ": connect: connection refused" + hint();
      LOG.info("port-forward: {}", message);
      byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
      framer.data(fw.errorStream, bytes, 0, bytes.length, false);
      fw.endErrorStream();
      framer.data(fw.dataStream, new byte[0], 0, 0, true);
      fw.close();
      return;
    }
    fw.target = ports.connect(standIn.get(), fw.port);
    fw.toTarget = fw.target.socket().getOutputStream();
    pumps.submit(() -> pump(fw));
  }

  private String hint() {
    List<Integer> served = ports.servedPorts(podUid);
    return served.isEmpty() ? " (nothing in this pod listens: its containers are simulated)"
        : " (the podinfo stand-in of this pod listens on " + served + ")";
  }

  /** Copies what the pod's side answers to the data stream, then ends both streams. */
  private void pump(Forward fw) {
    byte[] buf = new byte[16 * 1024];
    try (InputStream in = fw.target.socket().getInputStream()) {
      for (int n; (n = in.read(buf)) >= 0; ) {
        framer.data(fw.dataStream, buf, 0, n, false);
      }
      framer.data(fw.dataStream, new byte[0], 0, 0, true);
      fw.endErrorStream();
    } catch (IOException e) {
      LOG.debug("port-forward to {} port {}: {}", podName, fw.port, e.toString());
    } finally {
      fw.close();
    }
  }

  private void data(SpdyFramer.Frame f) {
    Forward fw = byStream.get(f.streamId());
    if (fw == null || f.streamId() != fw.dataStream || fw.toTarget == null) {
      return;
    }
    try {
      if (f.data().length > 0) {
        fw.toTarget.write(f.data());
        fw.toTarget.flush();
      }
      if (f.fin()) {
        fw.target.socket().shutdownOutput();
      }
    } catch (IOException e) {
      LOG.debug("port-forward to {} port {}: the pod's side closed: {}", podName, fw.port, e.toString());
      fw.close();
    }
  }

  private static String first(Map<String, List<String>> headers, String name) {
    List<String> v = headers.get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }
}
