package dev.gitopsworkshop.git;

import dev.gitopsworkshop.WorkshopException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import javax.net.ssl.SSLException;

/**
 * Asks a Git host, before the lab starts anything, whether the remote will do: Git's smart HTTP
 * discovery ({@code info/refs?service=git-upload-pack}, then {@code git-receive-pack}) with the
 * account, which every Git host answers the same way. Each failure is one line, decided by what the
 * host answered (its HTTP status, or how the connection failed), never by the words of a message.
 */
final class RemoteProbe {
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  private RemoteProbe() {}

  static void check(GitRemote remote) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NORMAL).build();
    int read = discover(http, remote, "git-upload-pack");
    switch (read) {
      case 200 -> { }
      case 401 -> throw new WorkshopException(remote.host() + " refused the password or token of " + remote.username() + " for " + remote.url(),
          "check --git-username and the password or token (a token needs read and write access to the repository)");
      case 403 -> throw new WorkshopException(remote.username() + " may not read " + remote.url() + " (" + remote.host() + " answered 403)",
          "give the account access to the repository, or use a token that has it");
      case 404 -> throw new WorkshopException("there is no repository at " + remote.url() + " that " + remote.username() + " can see"
          + " (" + remote.host() + " answered 404)", "create an empty repository there (the lab fills it), or check the URL");
      case -1 -> throw new WorkshopException(remote.url() + " is not a Git repository over HTTP (" + remote.host()
          + " answered, but not as a Git host does)", "give the URL the host shows for cloning over https");
      default -> throw new WorkshopException(remote.host() + " answered HTTP " + read + " for " + remote.url(),
          "check the URL, or try again when the Git host is well");
    }
    int write = discover(http, remote, "git-receive-pack");
    if (write == 401 || write == 403) {
      throw new WorkshopException(remote.username() + " may read " + remote.url() + " but not push to it (" + remote.host() + " answered "
          + write + ")", "give the account write access, or use a token with write access to the repository");
    }
    if (write != 200) {
      throw new WorkshopException(remote.host() + " does not accept pushes to " + remote.url() + " (it answered "
          + (write == -1 ? "but not as a Git host does" : "HTTP " + write) + ")", "the lab pushes the workshop there: use a repository it may push to");
    }
  }

  /** The status of a smart-HTTP discovery request; -1 for a 200 that is not Git's answer. */
  private static int discover(HttpClient http, GitRemote remote, String service) {
    URI uri = URI.create(remote.url() + "/info/refs?service=" + service);
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
            (remote.username() + ":" + remote.password()).getBytes(StandardCharsets.UTF_8)))
        .GET().build();
    try {
      HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
      if (response.statusCode() == 200) {
        String type = response.headers().firstValue("Content-Type").orElse("");
        return type.startsWith("application/x-" + service + "-advertisement") ? 200 : -1;
      }
      return response.statusCode();
    } catch (HttpTimeoutException e) {
      throw new WorkshopException(remote.host() + " did not answer within " + TIMEOUT.toSeconds() + " s", "check the network, or the URL of --git-remote", e);
    } catch (ConnectException e) {
      if (e.getCause() instanceof UnresolvedAddressException || e.getCause() instanceof UnknownHostException) {
        throw new WorkshopException("cannot find the Git host " + URI.create(remote.url()).getHost() + " (no such name)",
            "check the URL of --git-remote, and this machine's network", e);
      }
      throw new WorkshopException("nothing answers at " + remote.host() + " (connection refused)",
          "check the URL of --git-remote, and that the Git host runs", e);
    } catch (SSLException e) {
      throw new WorkshopException("cannot make a trusted https connection to " + remote.host() + ": " + e.getMessage(),
          "check the URL; a host with its own certificate needs it in Java's trust store", e);
    } catch (IOException e) {
      if (e.getCause() instanceof UnresolvedAddressException) {
        throw new WorkshopException("cannot find the Git host " + URI.create(remote.url()).getHost() + " (no such name)",
            "check the URL of --git-remote, and this machine's network", e);
      }
      throw new WorkshopException("cannot reach " + remote.host() + ": " + e, "check the URL of --git-remote, and the network", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WorkshopException("interrupted while asking " + remote.host(), null, e);
    }
  }
}
