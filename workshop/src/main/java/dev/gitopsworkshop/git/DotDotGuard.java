package dev.gitopsworkshop.git;

import java.util.Locale;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Answers 404 to any path with a {@code ..} segment (plain or percent-encoded), including one that
 * climbs above the root, before the servlets see it: such a path never names a repository. Jetty on
 * its own would answer 400, so the {@link #customizer()} first swaps such a path for a marker one.
 */
final class DotDotGuard extends Handler.Wrapper {
  private static final String MARKER = "/-/bad-path";

  DotDotGuard(Handler handler) {
    super(handler);
  }

  /** Runs before Jetty's own path check; add it to the connector's HttpConfiguration. */
  static HttpConfiguration.Customizer customizer() {
    return (request, responseHeaders) -> {
      if (!isBad(request.getHttpURI())) {
        return request;
      }
      HttpURI marked = HttpURI.build(request.getHttpURI()).path(MARKER).query(null).asImmutable();
      return new Request.Wrapper(request) {
        @Override
        public HttpURI getHttpURI() {
          return marked;
        }
      };
    };
  }

  private static boolean isBad(HttpURI uri) {
    String raw = uri.getPath();
    return raw == null
        || raw.contains("..")
        || raw.contains("//")
        || raw.toLowerCase(Locale.ROOT).contains("%2e")
        || uri.getCanonicalPath() == null;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    if (MARKER.equals(request.getHttpURI().getPath()) || isBad(request.getHttpURI())) {
      Response.writeError(request, response, callback, HttpStatus.NOT_FOUND_404, "no such repository");
      return true;
    }
    return super.handle(request, response, callback);
  }
}
