package dev.gitopsworkshop.kube;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.gitopsworkshop.support.Background;
import dev.gitopsworkshop.support.Cli;
import io.fabric8.kubernetes.client.internal.CertUtils;
import java.io.ByteArrayInputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * k3s and kind give kubeconfigs with a client certificate and an EC key, not a token: the lab's one
 * client (nudges, projector, tutorial, installing the operator again on a new cluster)
 * authenticates with them against a real TLS server that demands a client certificate.
 */
class KubeCertificateTest {
  @TempDir Path tmp;

  @Test
  void authenticatesWithTheKubeconfigsClientCertificateAndEcKey() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl makes the test's certificate");
    Path key = tmp.resolve("key.pem");
    Path cert = tmp.resolve("cert.pem");
    run("openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", key.toString());
    run("openssl", "req", "-x509", "-new", "-key", key.toString(), "-out", cert.toString(), "-days", "2",
        "-subj", "/CN=system:admin", "-addext", "subjectAltName=IP:127.0.0.1");
    byte[] keyPem = Files.readAllBytes(key);
    byte[] certPem = Files.readAllBytes(cert);
    assertEquals("-----BEGIN EC PRIVATE KEY-----", new String(keyPem, StandardCharsets.US_ASCII).lines().findFirst().orElse(""));

    KeyStore identity = CertUtils.createKeyStore(new ByteArrayInputStream(certPem), new ByteArrayInputStream(keyPem),
        "EC", new char[0], null, new char[0]);
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(identity, new char[0]);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(identity);
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);

    AtomicReference<String> client = new AtomicReference<>();
    HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(tls) {
      @Override
      public void configure(HttpsParameters params) {
        SSLParameters p = tls.getDefaultSSLParameters();
        p.setNeedClientAuth(true);
        params.setSSLParameters(p);
      }
    });
    server.createContext("/version", exchange -> {
      client.set(((HttpsExchange) exchange).getSSLSession().getPeerPrincipal().getName());
      byte[] body = "{\"major\":\"1\",\"minor\":\"33\"}".getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    try {
      Path kubeconfig = Files.writeString(tmp.resolve("kubeconfig"), """
          apiVersion: v1
          kind: Config
          current-context: default
          clusters:
          - name: default
            cluster: {server: "https://127.0.0.1:%d", certificate-authority-data: %s}
          users:
          - name: default
            user: {client-certificate-data: %s, client-key-data: %s}
          contexts:
          - name: default
            context: {cluster: default, user: default}
          """.formatted(server.getAddress().getPort(), b64(certPem), b64(certPem), b64(keyPem)));
      try (Kube kube = Kube.fromKubeconfig(kubeconfig)) {
        assertEquals("33", kube.client().getKubernetesVersion().getMinor());
      }
      assertEquals("CN=system:admin", client.get());
    } finally {
      server.stop(0);
    }
  }

  private static String b64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  private void run(String... command) throws Exception {
    try (Background p = Cli.startIn(new ProcessBuilder(command).directory(tmp.toFile()), tmp.resolve("processes"), null)) {
      p.waitFor(Duration.ofSeconds(60)).ok();
    }
  }
}
