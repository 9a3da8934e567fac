package dev.gitopsworkshop.cluster.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API server's TLS: the suite it picks from what a client offers, and kubectl on it. */
class ApiServerTlsIT {
  @TempDir Path tmp;
  TestCluster cluster;

  @BeforeEach
  void start() throws Exception {
    cluster = new TestCluster(tmp);
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void chaCha20IsChosenOverAesGcm_evenWhenTheClientListsItLast() throws Exception {
    assertEquals("TLS_CHACHA20_POLY1305_SHA256",
        handshake("TLSv1.3", "TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256"));
    assertEquals("TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
        handshake("TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"));
  }

  @Test
  void aClientWithoutChaCha20StillConnects() throws Exception {
    assertEquals("TLS_AES_128_GCM_SHA256", handshake("TLSv1.3", "TLS_AES_128_GCM_SHA256"));
  }

  @Test
  void kubectlTalksToIt() throws Exception {
    cluster.kubectl("get", "namespace", "default", "-o", "name").ok();
  }

  /** The suite the server settles on with a client offering {@code suites}, in that order. */
  private String handshake(String protocol, String... suites) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("api", CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(cluster.tls.caPem().getBytes(StandardCharsets.US_ASCII))));
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", cluster.server.port())) {
      socket.setSoTimeout(30_000);
      socket.setEnabledProtocols(new String[] {protocol});
      socket.setEnabledCipherSuites(suites);
      socket.startHandshake();
      return socket.getSession().getCipherSuite();
    }
  }
}
