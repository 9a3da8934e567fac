package dev.gitopsworkshop.cluster.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.support.Background;
import dev.gitopsworkshop.support.Cli;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A store, its types and an ApiServer on a free port, with a kubeconfig and a kubectl runner. */
final class TestCluster implements AutoCloseable {
  static final String TOKEN = "test-token-0123456789";

  final ResourceStore store = new ResourceStore();
  final ResourceTypes types = new ResourceTypes();
  final ApiServer server;
  final TlsIdentity tls;
  final Path dir;
  final Path kubeconfig;

  TestCluster(Path dir) throws IOException {
    this.dir = dir;
    for (String ns : List.of("default", "kube-system")) {
      ObjectNode o = Json.object();
      o.putObject("metadata").put("name", ns);
      o.putObject("status").put("phase", "Active");
      store.create(type("", "v1", "namespaces"), o, false);
    }
    tls = TlsIdentity.ensure(dev.gitopsworkshop.state.DataDir.at(dir.resolve("data")).ensureWritable());
    server = ApiServer.start(store, types, TOKEN, "127.0.0.1", 0, tls);
    kubeconfig = dir.resolve("kubeconfig");
    Kubeconfig.write(kubeconfig, server.url(), TOKEN, tls.caPem());
  }

  ResourceType type(String group, String version, String plural) {
    return types.byPlural(group, version, plural).orElseThrow();
  }

  /** The outcome of one kubectl run. */
  record Result(int exit, String out, String err) {
    Result ok() {
      assertEquals(0, exit, () -> "kubectl failed:\nstdout: " + out + "\nstderr: " + err);
      return this;
    }
  }

  Result kubectl(String... args) throws IOException, InterruptedException {
    return kubectlWithInput(null, args);
  }

  Result kubectlWithInput(String stdin, String... args) throws IOException {
    try (Background p = start(stdin, args)) {
      Cli.Result r = p.waitFor(Duration.ofSeconds(60));
      return new Result(r.exitCode(), r.out(), r.err());
    }
  }

  /** Starts kubectl with this cluster's kubeconfig and a private cache dir (the caller ends it). */
  Background start(String... args) throws IOException {
    return start(null, args);
  }

  private Background start(String stdin, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString(),
        "--cache-dir", dir.resolve("kube-cache").toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("HOME", dir.toString());
    pb.environment().remove("KUBECONFIG");
    return Cli.startIn(pb, dir.resolve("processes"), stdin);
  }

  /** One raw HTTPS request to the server (trusting its certificate); {@code token} null sends none. */
  java.net.http.HttpResponse<String> http(String method, String path, String contentType, String body, String token)
      throws Exception {
    var certificate = java.security.cert.CertificateFactory.getInstance("X.509")
        .generateCertificate(new java.io.ByteArrayInputStream(tls.caPem().getBytes(StandardCharsets.US_ASCII)));
    var trust = java.security.KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("api", certificate);
    var tmf = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    var ssl = javax.net.ssl.SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    var client = java.net.http.HttpClient.newBuilder().sslContext(ssl).build();
    var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url() + path))
        .method(method, body == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
            : java.net.http.HttpRequest.BodyPublishers.ofString(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return client.send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
  }

  /** Everything stored, to check that a rejected request changed nothing. */
  String snapshot() {
    var all = new java.util.TreeMap<>(store.snapshot());
    all.values().removeIf(List::isEmpty);
    return all.toString();
  }

  Path file(String name, String content) throws IOException {
    Path f = dir.resolve(name);
    Files.writeString(f, content);
    return f;
  }

  @Override
  public void close() {
    server.close();
  }
}
