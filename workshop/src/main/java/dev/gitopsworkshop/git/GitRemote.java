package dev.gitopsworkshop.git;

import dev.gitopsworkshop.WorkshopException;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * A workshop repository on another Git host ({@code --git-remote}): its URL (http or https, as Flux
 * reaches Git with a username and password) and the account the lab uses there, for the
 * participant and for Flux alike. The password (or token) never appears in {@link #toString()},
 * nor in any message the lab prints.
 */
public record GitRemote(String url, String username, String password) {
  /** A remote from what the user gave; a usage error naming what is wrong (never the password). */
  public static GitRemote of(String url, String username, String password) {
    if (url.strip().matches("^[\\w.-]+@[\\w.-]+:.*")) {
      throw WorkshopException.usage("--git-remote takes an http(s) URL, and an scp-style address is not one the lab uses",
          "give the repository's https:// URL with --git-username and a token (--git-password-env or --git-password-file)");
    }
    URI uri;
    try {
      uri = new URI(url.strip());
    } catch (URISyntaxException e) {
      throw WorkshopException.usage("--git-remote " + shown(url) + " is not a URL", "give the repository's https:// URL, as the host shows it for cloning");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
    if (scheme.equals("ssh") || scheme.equals("git") || scheme.equals("file")) {
      throw WorkshopException.usage("--git-remote takes an http(s) URL, and " + scheme + ":// is not one the lab uses",
          "give the repository's https:// URL with --git-username and a token (--git-password-env or --git-password-file)");
    }
    if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
      throw WorkshopException.usage("--git-remote " + shown(url) + " is not an http(s) URL of a repository",
          "give it as the host shows it for cloning, e.g. https://github.com/you/gitops-workshop.git");
    }
    if (uri.getRawUserInfo() != null) {
      throw WorkshopException.usage("--git-remote carries a name or password in its URL, where it would be shown and stored",
          "give the URL without them, and the account with --git-username and --git-password-env or --git-password-file");
    }
    if (uri.getRawPath() == null || uri.getRawPath().replace("/", "").isEmpty()) {
      throw WorkshopException.usage("--git-remote " + shown(url) + " names a host but no repository",
          "give the repository's URL, e.g. https://github.com/you/gitops-workshop.git");
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw WorkshopException.usage("--git-remote " + shown(url) + " has a query or fragment, which a repository's URL has not",
          "give the URL as the host shows it for cloning");
    }
    if (username == null || username.isBlank() || password == null || password.isEmpty()) {
      throw WorkshopException.usage("--git-remote needs an account that may push: "
          + (username == null || username.isBlank() ? "--git-username is missing" : "its password or token is missing"),
          "give --git-username and one of --git-password (asked for), --git-password-env VAR or --git-password-file FILE");
    }
    String clean = uri.getScheme() + "://" + uri.getRawAuthority() + uri.getRawPath().replaceAll("/+$", "");
    return new GitRemote(clean, username, password);
  }

  /** A URL as typed, for a message: whatever stands before an {@code @} in its authority is left out. */
  private static String shown(String url) {
    return url.strip().replaceFirst("//[^/@]*@", "//…@");
  }

  /** {@code host[:port]}, for messages. */
  public String host() {
    return URI.create(url).getRawAuthority();
  }

  @Override
  public String toString() {
    return "GitRemote[" + url + " as " + username + "]";
  }
}
