package dev.gitopsworkshop.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gitopsworkshop.Mappers;
import dev.gitopsworkshop.cluster.DockerEndpoints.Endpoint;
import dev.gitopsworkshop.cluster.DockerEndpoints.Environment;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a Docker engine answers on this machine, asked the cheap way: {@code GET /_ping} on each
 * place Testcontainers looks ({@link DockerEndpoints}), in its order, the first answer winning. An
 * address this probe cannot ask itself (TLS, ssh) is left to Testcontainers, behind a time limit.
 * A missing socket or a refused connection means no. The reason names the engine found ("Docker
 * answers on unix:///run/user/1000/docker.sock (rootless Docker's socket)") or what was tried, for
 * a sentence around it.
 */
public final class DockerProbe {
  private static final Logger LOG = LoggerFactory.getLogger(DockerProbe.class);
  /** How long one place may take to answer: a local engine answers in milliseconds. */
  static final Duration ASK_TIMEOUT = Duration.ofSeconds(3);
  /** How long Testcontainers may take to find an engine this probe could not ask. */
  static final Duration TESTCONTAINERS_TIMEOUT = Duration.ofSeconds(20);

  private DockerProbe() {}

  /**
   * @param endpoint where the engine answered (null when none did)
   */
  public record Answer(boolean available, String reason, Endpoint endpoint) {
    public Answer(boolean available, String reason) {
      this(available, reason, null);
    }
  }

  public static Answer ask() {
    return ask(Environment.current(), TestcontainersDocker::ask);
  }

  /**
   * @param testcontainers asks Testcontainers itself, within the given time, for an address this
   *     probe cannot ask
   */
  static Answer ask(Environment environment, Function<Duration, Answer> testcontainers) {
    List<Endpoint> endpoints = DockerEndpoints.of(environment);
    if (endpoints.isEmpty()) {
      return new Answer(false, "nothing at " + environment.defaultSocket() + ", no DOCKER_HOST, no rootless or Docker Desktop socket");
    }
    List<String> tried = new ArrayList<>();
    boolean notAskable = false;
    for (Endpoint endpoint : endpoints) {
      if (!askable(endpoint, environment)) {
        notAskable = true;
        tried.add(endpoint.host() + " (" + endpoint.source() + ") is for Testcontainers to ask");
        continue;
      }
      Answer a = ask(endpoint);
      if (a.available()) {
        return a;
      }
      tried.add(a.reason());
    }
    if (notAskable) {
      Answer a = testcontainers.apply(TESTCONTAINERS_TIMEOUT);
      if (a.available()) {
        return a;
      }
      tried.add(a.reason());
    }
    return new Answer(false, String.join("; ", tried));
  }

  /** One socket, as the default socket is asked. */
  static Answer ask(Path socket) {
    return ask(new Endpoint(URI.create("unix://" + socket.toAbsolutePath()), "the default socket"));
  }

  static Answer ask(Endpoint endpoint) {
    Path socket = endpoint.socket();
    if (socket != null && !Files.exists(socket)) {
      return new Answer(false, socket + " does not exist");
    }
    String where = socket != null ? socket.toString() : endpoint.host().toString();
    try {
      String reply = get(endpoint, "/_ping");
      return reply.contains(" 200 ")
          ? new Answer(true, "Docker answers on " + endpoint.host() + " (" + endpoint.source() + ")", endpoint)
          : new Answer(false, "Docker at " + where + " answered: " + reply.lines().findFirst().orElse(""));
    } catch (IOException e) {
      return new Answer(false, "nothing answers on " + where + ": " + e.getMessage());
    }
  }

  /** Plain HTTP over a Unix socket or TCP: what this probe asks itself; TLS and ssh are Testcontainers'. */
  private static boolean askable(Endpoint endpoint, Environment environment) {
    String scheme = endpoint.host().getScheme();
    if ("unix".equals(scheme)) {
      return true;
    }
    String tls = environment.env().getOrDefault("DOCKER_TLS_VERIFY", "");
    return ("tcp".equals(scheme) || "http".equals(scheme)) && !(tls.equals("1") || tls.equalsIgnoreCase("true"))
        && endpoint.host().getPort() != 2376;
  }

  /** The engine's memory ({@code MemTotal} of {@code GET /info}), when it answers. */
  public static OptionalLong memTotal() {
    Answer a = ask();
    return a.available() && a.endpoint() != null && askable(a.endpoint(), Environment.current()) ? memTotal(a.endpoint()) : OptionalLong.empty();
  }

  static OptionalLong memTotal(Path socket) {
    return memTotal(new Endpoint(URI.create("unix://" + socket.toAbsolutePath()), "the default socket"));
  }

  static OptionalLong memTotal(Endpoint endpoint) {
    try {
      String reply = get(endpoint, "/info");
      int body = reply.indexOf("\r\n\r\n");
      JsonNode info = Mappers.JSON.readTree(reply.substring(body + 4));
      return info.has("MemTotal") ? OptionalLong.of(info.get("MemTotal").asLong()) : OptionalLong.empty();
    } catch (IOException | RuntimeException e) {
      LOG.debug("no memory figure from {}: {}", endpoint.host(), e.toString());
      return OptionalLong.empty();
    }
  }

  /** A plain HTTP/1.0 GET: the whole reply, headers and body, within {@link #ASK_TIMEOUT}. */
  private static String get(Endpoint endpoint, String path) throws IOException {
    byte[] request = ("GET " + path + " HTTP/1.0\r\nHost: docker\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    Path socket = endpoint.socket();
    return socket != null ? getUnix(socket, request) : getTcp(endpoint.host(), request);
  }

  private static String getTcp(URI host, byte[] request) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host.getHost(), host.getPort() > 0 ? host.getPort() : 2375), (int) ASK_TIMEOUT.toMillis());
      s.setSoTimeout((int) ASK_TIMEOUT.toMillis());
      OutputStream out = s.getOutputStream();
      out.write(request);
      out.flush();
      InputStream in = s.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Non-blocking with a deadline: an engine that accepts and never answers must not hang the lab. */
  private static String getUnix(Path socket, byte[] request) throws IOException {
    long deadline = System.nanoTime() + ASK_TIMEOUT.toNanos();
    try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX); Selector selector = Selector.open()) {
      ch.connect(UnixDomainSocketAddress.of(socket));
      ch.write(ByteBuffer.wrap(request));
      ch.configureBlocking(false);
      ch.register(selector, SelectionKey.OP_READ);
      ByteArrayOutputStream reply = new ByteArrayOutputStream();
      ByteBuffer buf = ByteBuffer.allocate(8192);
      while (true) {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
          throw new IOException("no answer within " + ASK_TIMEOUT.toSeconds() + " s");
        }
        selector.select(left);
        selector.selectedKeys().clear();
        int n;
        while ((n = ch.read(buf)) > 0) {
          reply.write(buf.array(), 0, buf.position());
          buf.clear();
        }
        if (n < 0) {
          return reply.toString(StandardCharsets.UTF_8);
        }
      }
    }
  }
}
