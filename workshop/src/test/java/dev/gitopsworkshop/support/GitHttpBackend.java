package dev.gitopsworkshop.support;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Git's own smart HTTP server, {@code git http-backend}, behind a small web server on loopback, as
 * Apache or nginx would host it: each request runs the CGI program with the request's method,
 * path, query and body. The web server's part is what git leaves to it: basic auth (each user's
 * password, and whether it may push) and {@code REMOTE_USER}.
 */
public final class GitHttpBackend implements AutoCloseable {
  /** An account of this server: its password and whether it may push. */
  public record User(String password, boolean mayPush) {}

  private final Server server;
  private final int port;

  private GitHttpBackend(Server server, int port) {
    this.server = server;
    this.port = port;
  }

  /** Serves the bare repositories under {@code root} to {@code users}. */
  public static GitHttpBackend start(Path root, Map<String, User> users) throws Exception {
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    context.addServlet(new ServletHolder(new Cgi(root, users)), "/*");
    server.setHandler(context);
    server.start();
    return new GitHttpBackend(server, connector.getLocalPort());
  }

  /** {@code http://127.0.0.1:PORT/NAME}. */
  public String url(String repository) {
    return "http://127.0.0.1:" + port + "/" + repository;
  }

  @Override
  public void close() throws Exception {
    server.stop();
  }

  private static final class Cgi extends HttpServlet {
    private final Path root;
    private final Map<String, User> users;

    Cgi(Path root, Map<String, User> users) {
      this.root = root;
      this.users = users;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      String user = authenticated(req.getHeader("Authorization"));
      if (user == null) {
        resp.setHeader("WWW-Authenticate", "Basic realm=\"git\"");
        resp.sendError(401);
        return;
      }
      String query = req.getQueryString() == null ? "" : req.getQueryString();
      boolean push = req.getRequestURI().endsWith("/git-receive-pack") || query.contains("service=git-receive-pack");
      if (push && !users.get(user).mayPush()) {
        resp.sendError(403, user + " may not push");
        return;
      }
      ProcessBuilder pb = new ProcessBuilder("git", "http-backend");
      Map<String, String> env = pb.environment();
      env.put("GIT_PROJECT_ROOT", root.toString());
      env.put("GIT_HTTP_EXPORT_ALL", "1");
      env.put("GIT_CONFIG_NOSYSTEM", "1");
      env.put("PATH_INFO", req.getRequestURI());
      env.put("QUERY_STRING", query);
      env.put("REQUEST_METHOD", req.getMethod());
      env.put("REMOTE_USER", user);
      env.put("REMOTE_ADDR", "127.0.0.1");
      putIfPresent(env, "CONTENT_TYPE", req.getContentType());
      putIfPresent(env, "HTTP_CONTENT_ENCODING", req.getHeader("Content-Encoding"));
      putIfPresent(env, "GIT_PROTOCOL", req.getHeader("Git-Protocol"));
      if (req.getContentLengthLong() >= 0) {
        env.put("CONTENT_LENGTH", Long.toString(req.getContentLengthLong()));
      }
      Process cgi = pb.redirectError(ProcessBuilder.Redirect.DISCARD).start();
      Thread body = new Thread(() -> {
        try (InputStream in = req.getInputStream(); OutputStream toCgi = cgi.getOutputStream()) {
          in.transferTo(toCgi);
        } catch (IOException e) {
          // the program ended early: its answer says why
        }
      }, "cgi-body");
      body.start();
      try (InputStream out = cgi.getInputStream()) {
        answer(out, resp);
      } finally {
        try {
          body.join(30_000);
          cgi.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        cgi.destroy();
      }
    }

    /** The CGI answer: header lines (Status: among them), a blank line, the body. */
    private static void answer(InputStream out, HttpServletResponse resp) throws IOException {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      int status = 200;
      for (int b = out.read(); b >= 0; b = out.read()) {
        if (b != '\n') {
          line.write(b);
          continue;
        }
        String header = line.toString(StandardCharsets.ISO_8859_1).replaceAll("\r$", "");
        line.reset();
        if (header.isEmpty()) {
          break;
        }
        int colon = header.indexOf(':');
        String name = header.substring(0, colon).trim();
        String value = header.substring(colon + 1).trim();
        if (name.equalsIgnoreCase("Status")) {
          status = Integer.parseInt(value.split(" ")[0]);
        } else {
          resp.addHeader(name, value);
        }
      }
      resp.setStatus(status);
      out.transferTo(resp.getOutputStream());
    }

    private String authenticated(String header) {
      if (header == null || !header.startsWith("Basic ")) {
        return null;
      }
      String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      String name = colon < 0 ? decoded : decoded.substring(0, colon);
      User user = users.get(name);
      return user != null && colon >= 0 && user.password().equals(decoded.substring(colon + 1)) ? name : null;
    }

    private static void putIfPresent(Map<String, String> env, String name, String value) {
      if (value != null) {
        env.put(name, value);
      }
    }
  }
}
