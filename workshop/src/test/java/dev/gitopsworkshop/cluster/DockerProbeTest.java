package dev.gitopsworkshop.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.gitopsworkshop.cluster.DockerEndpoints.Endpoint;
import dev.gitopsworkshop.cluster.DockerEndpoints.Environment;
import dev.gitopsworkshop.support.FakeDockerEngine;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the probe finds a Docker engine: each place Testcontainers 2.0.5 looks, in its order. No
 * engine runs here, so a fake engine answers {@code /_ping} and {@code /info} as Docker's API does,
 * on a Unix socket at the place under test (or over TCP). The home, {@code /run/user/UID} and the
 * default socket are folders of the test.
 */
class DockerProbeTest {
  @TempDir Path tmp;
  Path home;
  Path runUser;
  Path defaultSocket;
  final Map<String, String> env = new HashMap<>();
  final List<Duration> testcontainersAsked = new ArrayList<>();
  final List<AutoCloseable> engines = new ArrayList<>();
  final Function<Duration, DockerProbe.Answer> testcontainers = limit -> {
    testcontainersAsked.add(limit);
    return new DockerProbe.Answer(false, "Testcontainers finds no Docker engine: (stand-in)");
  };

  @BeforeEach
  void folders() throws IOException {
    home = Files.createDirectories(tmp.resolve("home"));
    runUser = Files.createDirectories(tmp.resolve("run-user-1000"));
    defaultSocket = tmp.resolve("var-run-docker.sock");
  }

  @AfterEach
  void stopEngines() throws Exception {
    for (AutoCloseable e : engines) {
      e.close();
    }
  }

  Environment linux() {
    return new Environment(env, home, runUser, defaultSocket, "linux");
  }

  Path engineAt(Path socket) throws IOException {
    Files.createDirectories(socket.getParent());
    engines.add(FakeDockerEngine.serve(socket, "200 OK", "{\"MemTotal\": 8254377984}"));
    return socket;
  }

  DockerProbe.Answer ask(Environment e) {
    return DockerProbe.ask(e, testcontainers);
  }

  void assertFoundAt(Path socket, String source, DockerProbe.Answer a) {
    assertTrue(a.available(), a.reason());
    assertEquals("Docker answers on unix://" + socket + " (" + source + ")", a.reason());
    assertEquals(socket, a.endpoint().socket());
  }

  @Test
  void noSocketAnywhereSaysWhereItLooked() {
    DockerProbe.Answer a = ask(linux());
    assertFalse(a.available());
    assertEquals("nothing at " + defaultSocket + ", no DOCKER_HOST, no rootless or Docker Desktop socket", a.reason());
    assertEquals(List.of(), testcontainersAsked, "nothing to ask Testcontainers about");
  }

  @Test
  void findsTheDefaultSocket() throws IOException {
    assertFoundAt(engineAt(defaultSocket), "the default socket", ask(linux()));
  }

  @Test
  void findsDockerHostNamingAUnixSocket() throws IOException {
    Path socket = engineAt(tmp.resolve("colima/docker.sock"));
    env.put("DOCKER_HOST", "unix://" + socket);
    assertFoundAt(socket, "DOCKER_HOST", ask(linux()));
  }

  @Test
  void findsDockerHostOverPlainTcp() throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/_ping", exchange -> {
      exchange.sendResponseHeaders(200, 2);
      exchange.getResponseBody().write("OK".getBytes());
      exchange.close();
    });
    server.start();
    engines.add(() -> server.stop(0));
    env.put("DOCKER_HOST", "tcp://127.0.0.1:" + server.getAddress().getPort());
    DockerProbe.Answer a = ask(linux());
    assertTrue(a.available(), a.reason());
    assertEquals("Docker answers on tcp://127.0.0.1:" + server.getAddress().getPort() + " (DOCKER_HOST)", a.reason());
  }

  @Test
  void findsDockerHostInTestcontainersProperties() throws IOException {
    Path socket = engineAt(tmp.resolve("colima/docker.sock"));
    Files.writeString(home.resolve(".testcontainers.properties"), "docker.host=unix\\://" + socket + "\n");
    assertFoundAt(socket, "docker.host in " + home.resolve(".testcontainers.properties"), ask(linux()));
  }

  @Test
  void ignoresDockerHostInThePropertiesWhenTestcontainersIsToldTo() throws IOException {
    Path socket = engineAt(tmp.resolve("colima/docker.sock"));
    Files.writeString(home.resolve(".testcontainers.properties"), "docker.host=unix://" + socket + "\n");
    env.put("TESTCONTAINERS_DOCKERCONFIG_SOURCE", "autoIgnoringUserProperties");
    assertFalse(ask(linux()).available());
  }

  @Test
  void findsTcHostInTestcontainersProperties() throws IOException {
    Path socket = engineAt(tmp.resolve("tc/docker.sock"));
    Files.writeString(home.resolve(".testcontainers.properties"), "tc.host=unix://" + socket + "\n");
    assertFoundAt(socket, "tc.host in " + home.resolve(".testcontainers.properties"), ask(linux()));
  }

  @Test
  void findsRootlessDockerInXdgRuntimeDir() throws IOException {
    Path xdg = Files.createDirectories(tmp.resolve("xdg"));
    env.put("XDG_RUNTIME_DIR", xdg.toString());
    assertFoundAt(engineAt(xdg.resolve("docker.sock")), "rootless Docker's socket", ask(linux()));
  }

  @Test
  void findsRootlessDockerInTheHomesDockerRun() throws IOException {
    env.put("XDG_RUNTIME_DIR", tmp.resolve("xdg-without-docker").toString());
    assertFoundAt(engineAt(home.resolve(".docker/run/docker.sock")), "rootless Docker's socket", ask(linux()));
  }

  @Test
  void findsRootlessDockerInRunUser() throws IOException {
    assertFoundAt(engineAt(runUser.resolve("docker.sock")), "rootless Docker's socket", ask(linux()));
  }

  @Test
  void findsDockerDesktopsSocket() throws IOException {
    assertFoundAt(engineAt(home.resolve(".docker/desktop/docker.sock")), "Docker Desktop's socket", ask(linux()));
  }

  @Test
  void onMacTheHomesDockerRunIsDockerDesktops() throws IOException {
    Path socket = engineAt(home.resolve(".docker/run/docker.sock"));
    assertFoundAt(socket, "Docker Desktop's socket", ask(new Environment(env, home, runUser, defaultSocket, "mac")));
  }

  @Test
  void dockerHostComesFirstAndADeadOneFallsThroughToTheNextAsInTestcontainers() throws IOException {
    Path rootless = engineAt(runUser.resolve("docker.sock"));
    Path fallback = engineAt(defaultSocket);
    Path chosen = engineAt(tmp.resolve("chosen/docker.sock"));
    env.put("DOCKER_HOST", "unix://" + chosen);
    assertFoundAt(chosen, "DOCKER_HOST", ask(linux()));
    env.put("DOCKER_HOST", "unix://" + tmp.resolve("gone/docker.sock"));
    DockerProbe.Answer a = ask(linux());
    assertFoundAt(rootless, "rootless Docker's socket", a);
    assertEquals(List.of("DOCKER_HOST", "rootless Docker's socket", "the default socket"),
        DockerEndpoints.of(linux()).stream().map(Endpoint::source).toList());
    assertTrue(Files.exists(fallback));
  }

  @Test
  void theStrategyTestcontainersRememberedGoesFirst() throws IOException {
    engineAt(runUser.resolve("docker.sock"));
    Path remembered = engineAt(defaultSocket);
    Files.writeString(home.resolve(".testcontainers.properties"),
        "docker.client.strategy=org.testcontainers.dockerclient.UnixSocketClientProviderStrategy\n");
    assertFoundAt(remembered, "the default socket", ask(linux()));
  }

  @Test
  void aSocketNobodyListensOnIsNoEngineAndTheReasonSaysWhatWasTried() throws IOException {
    Files.createFile(defaultSocket);
    DockerProbe.Answer a = ask(linux());
    assertFalse(a.available());
    assertTrue(a.reason().startsWith("nothing answers on " + defaultSocket), a.reason());
  }

  @Test
  void anAddressThisProbeCannotAskIsLeftToTestcontainers() {
    env.put("DOCKER_HOST", "tcp://docker.example:2376");
    env.put("DOCKER_TLS_VERIFY", "1");
    DockerProbe.Answer a = ask(linux());
    assertFalse(a.available());
    assertEquals(List.of(DockerProbe.TESTCONTAINERS_TIMEOUT), testcontainersAsked);
    assertEquals("tcp://docker.example:2376 (DOCKER_HOST) is for Testcontainers to ask; "
        + "Testcontainers finds no Docker engine: (stand-in)", a.reason());
  }

  @Test
  void aFakeEngineAnsweringPingIsAvailableAndItsMemoryIsRead() throws IOException {
    Path socket = tmp.resolve("docker.sock");
    try (FakeDockerEngine engine = FakeDockerEngine.serve(socket, "200 OK", "{\"MemTotal\": 8254377984, \"NCPU\": 4}")) {
      DockerProbe.Answer a = DockerProbe.ask(socket);
      assertTrue(a.available(), a.reason());
      assertEquals("Docker answers on unix://" + socket + " (the default socket)", a.reason());
      assertEquals(OptionalLong.of(8254377984L), DockerProbe.memTotal(socket));
    }
  }

  @Test
  void aFakeEngineRefusingIsNotAvailableAndSaysWhatItAnswered() throws IOException {
    Path socket = tmp.resolve("docker.sock");
    try (FakeDockerEngine engine = FakeDockerEngine.serve(socket, "500 Internal Server Error", "{}")) {
      DockerProbe.Answer a = DockerProbe.ask(socket);
      assertFalse(a.available());
      assertEquals("Docker at " + socket + " answered: HTTP/1.0 500 Internal Server Error", a.reason());
      assertEquals(OptionalLong.empty(), DockerProbe.memTotal(socket));
    }
  }

  @Test
  void anEngineThatAcceptsAndNeverAnswersIsGivenUpOnInTime() throws Exception {
    Path socket = tmp.resolve("silent.sock");
    try (var server = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
      server.bind(java.net.UnixDomainSocketAddress.of(socket));
      DockerProbe.Answer a = DockerProbe.ask(new Endpoint(URI.create("unix://" + socket), "the default socket"));
      assertFalse(a.available());
      assertEquals("nothing answers on " + socket + ": no answer within 3 s", a.reason());
    }
  }
}
