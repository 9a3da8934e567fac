package dev.gitopsworkshop.git;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * HTTP basic auth on every request, clone included. A known account becomes the request's remote
 * user (which is also what lets JGit accept pushes); anything else gets 401 with a challenge, so
 * that git asks for credentials.
 */
final class BasicAuthFilter implements Filter {
  static final String ACCOUNT_ATTRIBUTE = Account.class.getName();
  private final GitCredentials credentials;
  private final List<GitServer.Route> routes;

  /** @param routes what is served beside Git: the open ones (a room's board) need no account */
  BasicAuthFilter(GitCredentials credentials, List<GitServer.Route> routes) {
    this.credentials = credentials;
    this.routes = List.copyOf(routes);
  }

  /** Whether the route that serves {@code path} (the longest matching) is open. */
  private boolean isOpen(String path) {
    return path != null && routes.stream().filter(r -> path.equals(r.path()) || path.startsWith(r.path() + "/"))
        .max(java.util.Comparator.comparingInt(r -> r.path().length())).map(GitServer.Route::open).orElse(false);
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    HttpServletRequest request = (HttpServletRequest) req;
    HttpServletResponse response = (HttpServletResponse) res;
    if (isOpen(request.getRequestURI())) {
      chain.doFilter(request, response);
      return;
    }
    Optional<Account> account = authenticate(request.getHeader("Authorization"));
    if (account.isEmpty()) {
      response.setHeader("WWW-Authenticate", "Basic realm=\"gitops-workshop\", charset=\"UTF-8\"");
      response.sendError(401, "Authentication required: use the username and password in lab.json");
      return;
    }
    Account user = account.get();
    request.setAttribute(ACCOUNT_ATTRIBUTE, user);
    chain.doFilter(
        new HttpServletRequestWrapper(request) {
          @Override
          public String getRemoteUser() {
            return user.username();
          }

          @Override
          public Principal getUserPrincipal() {
            return user::username;
          }
        },
        response);
  }

  private Optional<Account> authenticate(String header) {
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return Optional.empty();
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      return Optional.empty();
    }
    return credentials.authenticate(decoded.substring(0, colon), decoded.substring(colon + 1));
  }
}
