package dev.gitopsworkshop.cluster.embedded;

import dev.gitopsworkshop.state.DataDir;
import java.io.IOException;
import java.nio.file.Path;

/** Writes a kubeconfig (server URL, its CA certificate, a bearer token), readable only by the user. */
public final class Kubeconfig {
  private Kubeconfig() {}

  public static void write(Path file, String serverUrl, String token, String caPem) throws IOException {
    String yaml =
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: workshop
          cluster:
            server: %s
            certificate-authority-data: %s
        contexts:
        - name: workshop
          context:
            cluster: workshop
            user: workshop
            namespace: default
        current-context: workshop
        users:
        - name: workshop
          user:
            token: %s
        preferences: {}
        """
            .formatted(serverUrl, java.util.Base64.getEncoder().encodeToString(caPem.getBytes(java.nio.charset.StandardCharsets.US_ASCII)), token);
    DataDir.writeAtomically(file, yaml, true);
  }
}
