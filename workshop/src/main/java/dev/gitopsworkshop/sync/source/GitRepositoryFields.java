package dev.gitopsworkshop.sync.source;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/**
 * The GitRepository fields the embedded source-controller refuses rather than ignore: commit
 * signature verification, submodules, cloud and GitHub App providers, proxies, SSH, bearer tokens
 * and TLS client certificates. Everything else of {@code source.toolkit.fluxcd.io/v1} is honoured.
 */
public final class GitRepositoryFields {
  private static final List<String> GITHUB_APP_KEYS = List.of("githubAppID", "githubAppInstallationID", "githubAppPrivateKey");

  private GitRepositoryFields() {}

  /** Why the embedded operator cannot serve this GitRepository, if it cannot. */
  public static Optional<Unsupported.Refusal> refusal(JsonNode repo) {
    JsonNode spec = repo.path("spec");
    if (spec.path("verify").isObject()) {
      return Optional.of(Unsupported.Refusal.of("spec.verify", "it does not verify commit or tag signatures"));
    }
    if (spec.path("recurseSubmodules").asBoolean(false)) {
      return Optional.of(Unsupported.Refusal.of("spec.recurseSubmodules", "it does not fetch submodules"));
    }
    String provider = spec.path("provider").asText("generic");
    if (!provider.equals("generic")) {
      return Optional.of(Unsupported.Refusal.of("spec.provider '" + provider + "'",
          "it authenticates only with the username and password of spec.secretRef"));
    }
    if (spec.has("serviceAccountName")) {
      return Optional.of(Unsupported.Refusal.of("spec.serviceAccountName", "it has no cloud workload identity"));
    }
    if (spec.path("proxySecretRef").isObject()) {
      return Optional.of(Unsupported.Refusal.of("spec.proxySecretRef", "it connects to the Git server directly"));
    }
    String url = spec.path("url").asText("");
    if (url.startsWith("ssh://")) {
      return Optional.of(Unsupported.Refusal.of("an SSH spec.url", "it speaks Git over HTTP(S) only: use the repository's http URL"
          + " with a username and password in spec.secretRef"));
    }
    return Optional.empty();
  }

  /** Why the keys of the {@code spec.secretRef} Secret cannot be used, if they cannot (Secret data, base64). */
  public static Optional<Unsupported.Refusal> secretRefusal(JsonNode repo, JsonNode secretData) {
    String secret = "the Secret '" + repo.at("/metadata/namespace").asText() + "/" + repo.at("/spec/secretRef/name").asText() + "'";
    if (GITHUB_APP_KEYS.stream().anyMatch(secretData::has)) {
      // source-controller's own error for GitHub App data without provider: github
      return Optional.of(new Unsupported.Refusal("InvalidProviderConfiguration", "secretRef '" + repo.at("/metadata/namespace").asText() + "/" + repo.at("/spec/secretRef/name").asText()
          + "' has github app data but provider is not set to github"));
    }
    if (secretData.has("bearerToken")) {
      return Optional.of(Unsupported.Refusal.of("bearerToken in " + secret, "it authenticates with username and password only"));
    }
    boolean https = repo.at("/spec/url").asText("").startsWith("https://");
    for (String key : List.of("ca.crt", "caFile", "tls.crt", "tls.key")) {
      if (https && secretData.has(key)) {
        return Optional.of(Unsupported.Refusal.of(key + " in " + secret, "it uses no custom CA or client certificate"));
      }
    }
    return Optional.empty();
  }
}
