package dev.gitopsworkshop.cluster.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KubeconfigTest {
  @TempDir Path dir;

  @Test
  void writesAPrivateKubeconfigWithTheWorkshopContext() throws Exception {
    Path file = dir.resolve("sub/kubeconfig");
    Kubeconfig.write(file, "https://127.0.0.1:6443", "tok", "-----BEGIN CERTIFICATE-----\nX\n-----END CERTIFICATE-----\n");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    JsonNode k = Json.YAML.readTree(file.toFile());
    assertEquals("workshop", k.path("current-context").asText());
    assertEquals("workshop", k.path("contexts").get(0).path("context").path("cluster").asText());
    assertEquals("tok", k.path("users").get(0).path("user").path("token").asText());
    assertTrue(k.path("clusters").get(0).path("cluster").has("certificate-authority-data"));
  }

  @Test
  void withoutACertificateAnHttpsServerIsNotVerified() throws Exception {
    Path file = dir.resolve("kubeconfig");
    Kubeconfig.write(file, "https://127.0.0.1:6443", "tok");
    JsonNode cluster = Json.YAML.readTree(file.toFile()).path("clusters").get(0).path("cluster");
    assertTrue(cluster.path("insecure-skip-tls-verify").asBoolean());
  }
}
