package dev.gitopsworkshop.git;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.Base64;

/**
 * HTTP basic auth in front of everything: a request without valid credentials gets 401 with a
 * challenge; an authenticated one carries the user as its remote user, which is what lets JGit
 * accept pushes.
 */
final class BasicAuthFilter extends HttpFilter {
  static final String REALM = "gitops-workshop";
  static final String ACCOUNT_ATTRIBUTE = AccountStore.Entry.class.getName();

  private final AccountStore accounts;

  BasicAuthFilter(AccountStore accounts) {
    this.accounts = accounts;
  }

  @Override
  protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    AccountStore.Entry account = authenticate(request.getHeader("Authorization"));
    if (account == null) {
      response.setHeader("WWW-Authenticate", "Basic realm=\"" + REALM + "\"");
      response.sendError(HttpServletResponse.SC_UNAUTHORIZED, "credentials required");
      return;
    }
    request.setAttribute(ACCOUNT_ATTRIBUTE, account);
    chain.doFilter(new Authenticated(request, account.account().username()), response);
  }

  private AccountStore.Entry authenticate(String header) {
    if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
      return null;
    }
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      return null;
    }
    return accounts.authenticate(decoded.substring(0, colon), decoded.substring(colon + 1));
  }

  private static final class Authenticated extends HttpServletRequestWrapper {
    private final String user;

    Authenticated(HttpServletRequest request, String user) {
      super(request);
      this.user = user;
    }

    @Override
    public String getRemoteUser() {
      return user;
    }

    @Override
    public Principal getUserPrincipal() {
      return () -> user;
    }

    @Override
    public String getAuthType() {
      return HttpServletRequest.BASIC_AUTH;
    }
  }
}
