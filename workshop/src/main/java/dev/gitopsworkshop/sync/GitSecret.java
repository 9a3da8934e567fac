package dev.gitopsworkshop.sync;

import dev.gitopsworkshop.kube.Kube;
import com.fasterxml.jackson.databind.JsonNode;
import dev.gitopsworkshop.sync.source.GitRepositoryFields;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;

/** A GitRepository's {@code secretRef}, read as Flux reads it: basic auth from {@code username} and {@code password}. */
public final class GitSecret {
  private GitSecret() {}

  /**
   * The credentials, or null when the GitRepository names no secret; a missing Secret, or one whose
   * keys ask for what the embedded operator does not do (a bearer token...), is a fetch failure.
   */
  public static UsernamePasswordCredentialsProvider credentials(Kube api, String namespace, JsonNode repo) {
    String secretName = repo.at("/spec/secretRef/name").asText("");
    if (secretName.isEmpty()) {
      return null;
    }
    JsonNode secret = api.get(FluxKinds.SECRET, namespace, secretName);
    if (secret == null) {
      throw new GitFetcher.FetchFailure("AuthenticationFailed",
          "failed to get secret '" + namespace + "/" + secretName + "': secrets \"" + secretName + "\" not found");
    }
    GitRepositoryFields.secretRefusal(repo, secret.path("data")).ifPresent(r -> {
      throw new GitFetcher.FetchFailure(r.reason(), r.message());
    });
    return new UsernamePasswordCredentialsProvider(decode(secret.at("/data/username")), decode(secret.at("/data/password")));
  }

  private static String decode(JsonNode value) {
    return value.isMissingNode() ? "" : new String(Base64.getDecoder().decode(value.asText()), StandardCharsets.UTF_8);
  }
}
