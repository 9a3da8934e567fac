package dev.gitopsworkshop.support;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A headless Chromium driven over the Chrome DevTools Protocol (a WebSocket, JSON messages): open
 * a page, size its viewport like a screen, evaluate JavaScript in it, wait for a condition, save a
 * screenshot. Tests that need it call {@link #assumeInstalled()} in the test method (not in a
 * {@code @BeforeAll}, whose failed assumption Surefire reports as no test at all), so that they are
 * reported skipped, with the reason, where Chromium is missing; where it is installed and does not
 * start, they fail with its output.
 */
public final class Chromium implements AutoCloseable {
  private static final Path BINARY = binary();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Logger LOG = LoggerFactory.getLogger(Chromium.class);
  private final Process process;
  private final Path profile;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

  private Chromium(Process process, Path profile, WebSocket socket) {
    this.process = process;
    this.profile = profile;
    this.socket = socket;
  }

  /** The browser: {@code -Dchromium.binary=PATH}, else Debian's /usr/bin/chromium, else chromium or chromium-browser on the PATH. */
  private static Path binary() {
    String given = System.getProperty("chromium.binary");
    if (given != null && !given.isBlank()) {
      return Path.of(given);
    }
    Path debian = Path.of("/usr/bin/chromium");
    if (Files.isExecutable(debian)) {
      return debian;
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      for (String name : List.of("chromium", "chromium-browser")) {
        Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
        if (Files.isExecutable(candidate)) {
          return candidate;
        }
      }
    }
    return debian;
  }

  /** Whether this machine has Chromium (a class can then skip its expensive set-up). */
  public static boolean installed() {
    return Files.isExecutable(BINARY);
  }

  /** Skips the calling test, saying why, when there is no Chromium on this machine. */
  public static void assumeInstalled() {
    assumeTrue(installed(), "Chromium is not installed at " + BINARY
        + " (Debian: apt-get install chromium; elsewhere pass -Dchromium.binary=PATH): the browser tests are skipped");
  }

  /** Starts a headless Chromium with an empty profile and a window of the given size. */
  public static Chromium start(int width, int height) throws Exception {
    assumeInstalled();
    Path profile = Files.createTempDirectory("chromium-profile");
    Process process = new ProcessBuilder(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--remote-debugging-port=0", "--user-data-dir=" + profile,
        "--window-size=" + width + "," + height, "about:blank")
        .redirectErrorStream(true)
        .redirectOutput(profile.resolve("chromium.log").toFile())
        .start();
    try {
      Path portFile = profile.resolve("DevToolsActivePort");
      try {
        await("Chromium's DevTools port").atMost(Duration.ofSeconds(60))
            .until(() -> !process.isAlive() || (Files.exists(portFile) && Files.readAllLines(portFile).size() >= 2));
      } catch (ConditionTimeoutException e) {
        throw new AssertionError(BINARY + " started but opened no DevTools port within 60 s (a machine under heavy load?); its output: "
            + Files.readString(profile.resolve("chromium.log")), e);
      }
      if (!process.isAlive()) {
        throw new AssertionError(BINARY + " exited at start; its output: " + Files.readString(profile.resolve("chromium.log")));
      }
      int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
      String pageSocket = pageTarget(port);
      Chromium[] self = new Chromium[1];
      WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
          .buildAsync(URI.create(pageSocket), new Listener(self)).get(30, TimeUnit.SECONDS);
      Chromium chromium = new Chromium(process, profile, ws);
      self[0] = chromium;
      chromium.call("Page.enable", JSON.createObjectNode());
      chromium.call("Runtime.enable", JSON.createObjectNode());
      return chromium;
    } catch (Exception | AssertionError e) {
      process.destroyForcibly();
      throw e;
    }
  }

  /** The first page's DevTools WebSocket, from Chromium's own target list. */
  private static String pageTarget(int port) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String[] found = new String[1];
    await("Chromium's first page").atMost(Duration.ofSeconds(30)).until(() -> {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
          HttpResponse.BodyHandlers.ofString());
      for (JsonNode t : JSON.readTree(r.body())) {
        if ("page".equals(t.path("type").asText())) {
          found[0] = t.path("webSocketDebuggerUrl").asText();
          return true;
        }
      }
      return false;
    });
    return found[0];
  }

  /** Sends one DevTools command and waits for its answer; a protocol error fails the test. */
  public JsonNode call(String method, ObjectNode params) throws Exception {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    pending.put(id, answer);
    ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
    message.set("params", params);
    socket.sendText(JSON.writeValueAsString(message), true).get(30, TimeUnit.SECONDS);
    JsonNode reply = answer.get(60, TimeUnit.SECONDS);
    if (reply.has("error")) {
      throw new AssertionError(method + " failed: " + reply.path("error"));
    }
    return reply.path("result");
  }

  /** Opens a URL and waits until the page has loaded. */
  public void open(String url) throws Exception {
    JsonNode r = call("Page.navigate", JSON.createObjectNode().put("url", url));
    if (r.hasNonNull("errorText")) {
      throw new AssertionError("cannot open " + url + ": " + r.path("errorText").asText());
    }
    // the page may rewrite its own hash (the slides keep the slide's number there)
    waitFor("the page at " + url + " loaded", "document.readyState === 'complete' && location.href.split('#')[0] === "
        + JSON.writeValueAsString(url.split("#")[0]), Duration.ofSeconds(30));
  }

  /** Evaluates an expression in the page; its value as JSON, a promise's once settled (a thrown exception fails the test). */
  public JsonNode eval(String expression) throws Exception {
    JsonNode r = call("Runtime.evaluate", JSON.createObjectNode().put("expression", expression).put("returnByValue", true)
        .put("awaitPromise", true));
    if (r.has("exceptionDetails")) {
      throw new AssertionError("JavaScript failed: " + expression + "\n" + r.path("exceptionDetails"));
    }
    return r.path("result").path("value");
  }

  public String text(String expression) throws Exception {
    return eval(expression).asText();
  }

  /** Waits until a JavaScript expression is true in the page, re-evaluating it; names the wait when it fails. */
  public void waitFor(String what, String expression, Duration atMost) {
    // first asked at once: most conditions already hold, and a page check asks a hundred times
    await(what).atMost(atMost).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100)).until(() -> eval("Boolean(" + expression + ")").asBoolean());
  }

  /**
   * Shows the page as a screen of this size shows it (CSS pixels, 100% zoom, not a phone), whatever
   * the window's size, and waits until the page has laid itself out again (two frames after its
   * resize event).
   */
  public void viewport(Screen screen) throws Exception {
    call("Emulation.setDeviceMetricsOverride", JSON.createObjectNode().put("width", screen.width()).put("height", screen.height())
        .put("deviceScaleFactor", 1).put("mobile", false));
    waitFor("the page shown at " + screen, "window.innerWidth === " + screen.width() + " && window.innerHeight === " + screen.height(),
        Duration.ofSeconds(10));
    eval("new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => done(true))))");
  }

  /** Saves a PNG of the page as it is now. */
  public Path screenshot(Path file) throws Exception {
    JsonNode r = call("Page.captureScreenshot", JSON.createObjectNode().put("format", "png").put("optimizeForSpeed", true));
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.write(file, Base64.getDecoder().decode(r.path("data").asText()));
    return file;
  }

  /** Where tests put their screenshots: {@code target/screenshots/}. */
  public static Path screenshotFile(String name) {
    return Path.of("target", "screenshots", name + ".png").toAbsolutePath();
  }

  /** Sends a key to the page (key names as in the DOM: ArrowRight, End, " "). */
  public void press(String key) throws Exception {
    String code = key.equals(" ") ? "Space" : key;
    int keyCode = switch (key) {
      case "ArrowLeft" -> 37;
      case "ArrowUp" -> 38;
      case "ArrowRight" -> 39;
      case "ArrowDown" -> 40;
      case "PageUp" -> 33;
      case "PageDown" -> 34;
      case "End" -> 35;
      case "Home" -> 36;
      case " " -> 32;
      default -> 0;
    };
    for (String type : List.of("keyDown", "keyUp")) {
      ObjectNode p = JSON.createObjectNode().put("type", type).put("key", key).put("code", code)
          .put("windowsVirtualKeyCode", keyCode).put("nativeVirtualKeyCode", keyCode);
      call("Input.dispatchKeyEvent", p);
    }
  }

  @Override
  public void close() throws Exception {
    socket.abort();
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    // Chromium's helper processes may still write into the profile a moment after it stopped
    // (a file gone mid-walk was a test error): a few tries, then a warning
    Exception last = null;
    for (int attempt = 0; attempt < 5 && Files.exists(profile); attempt++) {
      try (Stream<Path> walk = Files.walk(profile)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException | java.io.UncheckedIOException e) {
        last = e;
        Thread.sleep(200);
      }
    }
    if (Files.exists(profile)) {
      LOG.warn("Chromium's profile {} is left behind: {}", profile, String.valueOf(last));
    }
  }

  /** Collects a message's fragments, then hands answers to their waiting callers (events are ignored). */
  private static final class Listener implements WebSocket.Listener {
    private final Chromium[] owner;
    private final StringBuilder text = new StringBuilder();

    Listener(Chromium[] owner) {
      this.owner = owner;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        try {
          JsonNode message = JSON.readTree(text.toString());
          if (message.has("id") && owner[0] != null) {
            CompletableFuture<JsonNode> f = owner[0].pending.remove(message.path("id").asInt());
            if (f != null) {
              f.complete(message);
            }
          }
        } catch (IOException e) {
          // not JSON: nothing waits for it
        }
        text.setLength(0);
      }
      webSocket.request(1);
      return null;
    }
  }
}
