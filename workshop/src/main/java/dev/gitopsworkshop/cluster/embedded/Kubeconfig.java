package dev.gitopsworkshop.cluster.embedded;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

/** Writes a kubeconfig for the embedded cluster: cluster, user and context all named {@code workshop}. */
public final class Kubeconfig {
  public static final String NAME = "workshop";

  private Kubeconfig() {}

  /**
   * Writes a kubeconfig without a certificate authority: for an https server it skips TLS
   * verification (prefer {@link #write(Path, String, String, String)} or {@link
   * ApiServer#writeKubeconfig(Path)}).
   */
  public static void write(Path file, String serverUrl, String token) throws IOException {
    write(file, serverUrl, token, null);
  }

  /**
   * Writes the file atomically with mode 0600 (it holds the token).
   *
   * @param caPem the server's certificate authority in PEM form, or null
   */
  public static void write(Path file, String serverUrl, String token, String caPem) throws IOException {
    ObjectNode root = Json.object();
    root.put("apiVersion", "v1");
    root.put("kind", "Config");
    ObjectNode cluster = root.putArray("clusters").addObject();
    cluster.put("name", NAME);
    ObjectNode c = cluster.putObject("cluster");
    c.put("server", serverUrl);
    if (caPem != null) {
      c.put("certificate-authority-data",
          Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.US_ASCII)));
    } else if (serverUrl.startsWith("https:")) {
      c.put("insecure-skip-tls-verify", true);
    }
    ObjectNode user = root.putArray("users").addObject();
    user.put("name", NAME);
    user.putObject("user").put("token", token);
    ObjectNode context = root.putArray("contexts").addObject();
    context.put("name", NAME);
    ObjectNode ctx = context.putObject("context");
    ctx.put("cluster", NAME);
    ctx.put("user", NAME);
    ctx.put("namespace", "default");
    root.put("current-context", NAME);
    root.putObject("preferences");
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, ".kubeconfig", ".tmp");
    try {
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException notPosix) {
        // permissions as the platform gives them
      }
      Files.write(tmp, Json.YAML.writeValueAsString(root).getBytes(StandardCharsets.UTF_8));
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
