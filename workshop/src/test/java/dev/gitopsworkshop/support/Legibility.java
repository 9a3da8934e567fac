package dev.gitopsworkshop.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether a page shown in {@link Chromium} can be read on a given screen, measured in the page as
 * the browser laid it out (layout-check.js): nothing wider than the window, no box that cuts its
 * text (overflow hidden, an ellipsis, a scroll bar), no text cut or hidden by a box or the window's
 * edge, no word broken where it has no break opportunity, no text under an overlay, and no text
 * smaller than a minimum. A page for the room (projector view, slides, a room board) checks itself
 * with {@code Legibility.on(screen).assertLegible(browser, "name")}, which also saves a screenshot.
 */
public final class Legibility {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CHECK = resource("layout-check.js");
  /** The smallest text a room reads from the back, as a share of the screen's height (13.7 px at 768). */
  public static final double SMALLEST_TEXT = 1 / 56.0;

  private final Screen screen;
  private final ObjectNode options = JSON.createObjectNode();

  private Legibility(Screen screen) {
    this.screen = screen;
    options.putArray("minFontPx");
    options.putArray("overlays");
    minFontPx("body", Math.floor(screen.height() * SMALLEST_TEXT * 10) / 10);
  }

  /** The checks for a page that fills the screen (no scrolling), with text at least {@link #SMALLEST_TEXT} of its height. */
  public static Legibility on(Screen screen) {
    return new Legibility(screen);
  }

  /** Text inside {@code selector} is at least {@code px} CSS pixels (the largest matching minimum applies). */
  public Legibility minFontPx(String selector, double px) {
    ((ArrayNode) options.get("minFontPx")).addArray().add(selector).add(px);
    return this;
  }

  /** Text inside {@code selector} is at least this share of the screen's height. */
  public Legibility minFontShare(String selector, double shareOfHeight) {
    return minFontPx(selector, Math.floor(screen.height() * shareOfHeight * 10) / 10);
  }

  /** A box drawn over the page (a fixed footer) that no other text may run under. */
  public Legibility overlay(String selector) {
    ((ArrayNode) options.get("overlays")).add(selector);
    return this;
  }

  /** The page is a text page that may scroll down; it still may not be wider than the window. */
  public Legibility scrolls() {
    options.put("scrolls", true);
    return this;
  }

  public Screen screen() {
    return screen;
  }

  /** What cannot be read on the page as it is now in the browser (whose viewport must be this screen); empty when all can. */
  public List<String> problems(Chromium browser) throws Exception {
    JsonNode size = browser.eval("[window.innerWidth, window.innerHeight]");
    if (size.path(0).asInt() != screen.width() || size.path(1).asInt() != screen.height()) {
      throw new AssertionError("the browser shows the page at " + size.path(0) + "x" + size.path(1) + ", not " + screen
          + ": call browser.viewport(screen) first");
    }
    JsonNode found = browser.eval("(" + CHECK + ")(" + JSON.writeValueAsString(options) + ")");
    List<String> problems = new ArrayList<>();
    found.forEach(p -> problems.add(p.asText()));
    return problems;
  }

  /**
   * Measures the page, saves a screenshot of it as measured (animations finished) named
   * {@code name-WIDTHxHEIGHT} (see {@link Chromium#screenshotFile}), and fails, listing what cannot
   * be read and where the screenshot is, unless all of the page can be.
   */
  public Path assertLegible(Chromium browser, String name) throws Exception {
    List<String> problems = problems(browser);
    Path shot = browser.screenshot(Chromium.screenshotFile(name + "-" + screen));
    if (!problems.isEmpty()) {
      throw new AssertionError(name + " is not legible at " + screen + " (" + problems.size() + " problems; screenshot: " + shot + ")\n  "
          + String.join("\n  ", problems.subList(0, Math.min(problems.size(), 25))));
    }
    return shot;
  }

  private static String resource(String name) {
    try (InputStream in = Legibility.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is missing from the test resources");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
