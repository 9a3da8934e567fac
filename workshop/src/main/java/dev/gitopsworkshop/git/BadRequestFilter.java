package dev.gitopsworkshop.git;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;

/**
 * A pack exchange (POST to git-upload-pack or git-receive-pack) whose body JGit cannot read is the
 * client's fault: JGit answers 500, this makes it 400 (JGit's own error text, when it writes one,
 * is kept; otherwise the body says what was wrong).
 */
final class BadRequestFilter extends HttpFilter {
  static final String MESSAGE = "not a valid Git request (the body could not be read as the Git protocol)";

  @Override
  protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    String uri = request.getRequestURI();
    boolean packExchange =
        "POST".equals(request.getMethod())
            && (uri.endsWith("/git-upload-pack") || uri.endsWith("/git-receive-pack"));
    chain.doFilter(request, packExchange ? new ClientFault(response) : response);
  }

  private static final class ClientFault extends HttpServletResponseWrapper {
    ClientFault(HttpServletResponse response) {
      super(response);
    }

    @Override
    public void sendError(int status, String message) throws IOException {
      if (status == SC_INTERNAL_SERVER_ERROR) {
        super.sendError(SC_BAD_REQUEST, MESSAGE);
      } else {
        super.sendError(status, message);
      }
    }

    @Override
    public void sendError(int status) throws IOException {
      sendError(status, null);
    }

    @Override
    public void setStatus(int status) {
      super.setStatus(status == SC_INTERNAL_SERVER_ERROR ? SC_BAD_REQUEST : status);
    }
  }
}
