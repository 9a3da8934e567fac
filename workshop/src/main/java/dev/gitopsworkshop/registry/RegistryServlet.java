package dev.gitopsworkshop.registry;

import dev.gitopsworkshop.Mappers;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.NavigableSet;
import java.util.Optional;

/**
 * The lab's registry, read-only, as much of the OCI distribution API as tag listing needs:
 * {@code GET /v2/} and {@code GET /v2/<name>/tags/list} with {@code n}/{@code last} pagination and
 * a {@code Link: <...>; rel="next"} header, behind the anonymous bearer-token challenge public
 * registries use ({@code WWW-Authenticate: Bearer realm=...,service=...,scope=...}, then
 * {@code GET <realm>?service=&scope=} for a token). Tags are listed in lexical order.
 */
public final class RegistryServlet extends HttpServlet {
  /** Where the token endpoint lives, below the registry's base URL. */
  public static final String TOKEN_PATH = "/registry/token";
  public static final String SERVICE = "workshop-registry";
  /** Page size when the client does not ask for one (small enough that clients meet pagination). */
  static final int DEFAULT_PAGE = 50;
  private static final ObjectMapper JSON = Mappers.JSON;

  private final TagStore tags;
  private final String token;

  public RegistryServlet(TagStore tags) {
    this.tags = tags;
    byte[] secret = new byte[16];
    new SecureRandom().nextBytes(secret);
    this.token = "workshop." + HexFormat.of().formatHex(secret);
  }

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String path = req.getRequestURI();
    if (path.equals(TOKEN_PATH)) {
      issueToken(req, resp);
      return;
    }
    if (!req.getMethod().equals("GET") && !req.getMethod().equals("HEAD")) {
      error(resp, 405, "UNSUPPORTED", "this registry is read-only: only GET of /v2/ and tag lists");
      return;
    }
    if (!path.startsWith("/v2/")) {
      error(resp, 404, "NOT_FOUND", "not a registry path: " + path);
      return;
    }
    String rest = path.substring("/v2/".length());
    String scope = rest.endsWith("/tags/list") ? "repository:" + rest.substring(0, rest.length() - "/tags/list".length()) + ":pull" : null;
    if (!authorised(req)) {
      resp.setHeader("WWW-Authenticate", "Bearer realm=\"" + base(req) + TOKEN_PATH + "\",service=\"" + SERVICE + "\""
          + (scope == null ? "" : ",scope=\"" + scope + "\""));
      error(resp, 401, "UNAUTHORIZED", "authentication required");
      return;
    }
    resp.setHeader("Docker-Distribution-API-Version", "registry/2.0");
    if (rest.isEmpty()) {
      json(resp, 200, JSON.createObjectNode());
      return;
    }
    if (scope == null) {
      error(resp, 404, "MANIFEST_UNKNOWN", "this registry only lists tags (GET /v2/<name>/tags/list)");
      return;
    }
    String name = rest.substring(0, rest.length() - "/tags/list".length());
    Optional<NavigableSet<String>> all = tags.tags(name);
    if (all.isEmpty()) {
      ObjectNode body = errorBody("NAME_UNKNOWN", "repository name not known to registry");
      ((ObjectNode) body.withArray("errors").get(0)).putObject("detail").put("name", name);
      json(resp, 404, body);
      return;
    }
    listTags(req, resp, name, all.get());
  }

  private void listTags(HttpServletRequest req, HttpServletResponse resp, String name, NavigableSet<String> all) throws IOException {
    int n = DEFAULT_PAGE;
    String nParam = req.getParameter("n");
    if (nParam != null) {
      try {
        n = Integer.parseInt(nParam);
        if (n < 0) {
          throw new NumberFormatException();
        }
      } catch (NumberFormatException e) {
        error(resp, 400, "PAGINATION_NUMBER_INVALID", "invalid number of results requested: " + nParam);
        return;
      }
    }
    String last = req.getParameter("last");
    NavigableSet<String> after = last == null ? all : all.tailSet(last, false);
    List<String> page = after.stream().limit(n).toList();
    if (page.size() < after.size() && !page.isEmpty()) {
      String next = "/v2/" + name + "/tags/list?n=" + n + "&last=" + URLEncoder.encode(page.get(page.size() - 1), StandardCharsets.UTF_8);
      resp.setHeader("Link", "<" + next + ">; rel=\"next\"");
    }
    ObjectNode body = JSON.createObjectNode();
    body.put("name", name);
    page.forEach(body.putArray("tags")::add);
    json(resp, 200, body);
  }

  private void issueToken(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    String service = req.getParameter("service");
    if (service != null && !service.equals(SERVICE)) {
      error(resp, 400, "DENIED", "unknown service '" + service + "' (this registry is " + SERVICE + ")");
      return;
    }
    ObjectNode body = JSON.createObjectNode();
    body.put("token", token);
    body.put("access_token", token);
    body.put("expires_in", 3600);
    body.put("issued_at", Instant.now().toString());
    json(resp, 200, body);
  }

  private boolean authorised(HttpServletRequest req) {
    String header = req.getHeader("Authorization");
    return header != null && header.startsWith("Bearer ")
        && MessageDigest.isEqual(header.substring(7).trim().getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8));
  }

  private static String base(HttpServletRequest req) {
    return req.getScheme() + "://" + req.getServerName() + ":" + req.getServerPort();
  }

  private static ObjectNode errorBody(String code, String message) {
    ObjectNode body = JSON.createObjectNode();
    body.putArray("errors").addObject().put("code", code).put("message", message);
    return body;
  }

  private static void error(HttpServletResponse resp, int status, String code, String message) throws IOException {
    json(resp, status, errorBody(code, message));
  }

  private static void json(HttpServletResponse resp, int status, ObjectNode body) throws IOException {
    resp.setStatus(status);
    resp.setContentType("application/json");
    resp.setCharacterEncoding("UTF-8");
    resp.getOutputStream().write(JSON.writeValueAsBytes(body));
  }
}
