package dev.gitopsworkshop.slides;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitopsworkshop.support.Background;
import dev.gitopsworkshop.support.Chromium;
import dev.gitopsworkshop.support.Cli;
import dev.gitopsworkshop.support.Legibility;
import dev.gitopsworkshop.support.Screen;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code workshop slides} as a presenter uses it: the packaged tool serving the deck, a real
 * (headless) Chromium showing it; every slide and every step's page can be read at every common
 * projector mode (screenshots in target/screenshots/slides-*).
 */
class SlidesBrowserIT {
  @TempDir static Path tmp;
  static Background slides;
  static String url;

  @BeforeAll
  static void serveTheDeck() throws Exception {
    if (!Chromium.installed()) {
      return; // each test says it is skipped, and why
    }
    Files.createDirectories(tmp.resolve("home"));
    Cli cli = new Cli(tmp.resolve("home"), tmp);
    slides = cli.start(tmp, Map.of(), cli.workshop("slides"));
    url = slides.awaitLine("slides prints its URL", l -> !l.isBlank(), Duration.ofSeconds(30)).strip();
    assertTrue(url.matches("http://127\\.0\\.0\\.1:\\d+/"), "slides prints its URL: " + slides);
  }

  @AfterAll
  static void stopServing() {
    if (slides != null) {
      slides.close();
    }
  }

  @Test
  void showsTheFirstSlideAndAHandsOnSlideThatNamesItsStepAndNavigatesByKeyboard() throws Exception {
    Chromium.assumeInstalled();
    try (Chromium browser = Chromium.start(1600, 900)) {
      browser.open(url);
      browser.waitFor("the first slide shown", "document.querySelector('.slide.current') !== null", Duration.ofSeconds(10));
      assertEquals("GitOps, hands on", browser.text("document.querySelector('.slide.current h1').textContent"));
      assertEquals("1 / " + browser.eval("deck.count").asInt(), browser.text("document.getElementById('number').textContent"));
      browser.screenshot(Chromium.screenshotFile("slides-first"));

      browser.press("ArrowRight");
      browser.waitFor("the second slide after the right arrow", "location.hash === '#2'", Duration.ofSeconds(10));
      browser.press("Home");
      browser.waitFor("back to the first slide with Home", "location.hash === '#1'", Duration.ofSeconds(10));

      int handsOn = browser.eval("[...document.querySelectorAll('.slide')].findIndex(s => s.querySelector('.step[data-step=\"4\"]'))").asInt() + 1;
      assertTrue(handsOn > 1, "a slide points to step 4");
      browser.open(url + "#" + handsOn);
      browser.waitFor("the hands-on slide for step 4", "document.querySelector('.slide.current .step[data-step=\"4\"]') !== null",
          Duration.ofSeconds(10));
      String box = browser.text("document.querySelector('.slide.current .step').textContent");
      assertTrue(box.contains("Add podinfo through Git") && box.contains("scripts/workshop check 4"), box);
      Path shot = browser.screenshot(Chromium.screenshotFile("slides-hands-on-step-4"));
      assertTrue(Files.size(shot) > 5_000, "a real screenshot: " + Files.size(shot) + " bytes");

      browser.press(" ");
      browser.waitFor("space goes to the next slide", "location.hash === '#" + (handsOn + 1) + "'", Duration.ofSeconds(10));

      browser.open(url + "steps/4");
      assertTrue(browser.text("document.querySelector('h1').textContent").contains("Step 4 · Add podinfo through Git"));
      assertTrue(browser.text("document.body.textContent").contains("git push"), "the step's own text");
    }
  }

  @Test
  void everySlideAndEveryStepPageCanBeReadAtEveryProjectorMode() throws Exception {
    Chromium.assumeInstalled();
    try (Chromium browser = Chromium.start(1600, 900)) {
      browser.open(url);
      int count = browser.eval("deck.count").asInt();
      List<Integer> steps = new ArrayList<>();
      browser.eval("[...document.querySelectorAll('.slide .step')].map(s => Number(s.dataset.step))").forEach(n -> steps.add(n.asInt()));
      assertTrue(count > 10 && steps.size() > 5, "a deck with hands-on slides: " + count + " slides, steps " + steps);
      List<String> failures = new ArrayList<>();
      for (Screen screen : Screen.PROJECTOR_MODES) {
        browser.viewport(screen);
        browser.open(url);
        for (int n = 1; n <= count; n++) {
          browser.eval("location.hash = '#" + n + "'");
          browser.waitFor("slide " + n + " shown", "deck.index === " + (n - 1), Duration.ofSeconds(10));
          String name = String.format("slides-%02d", n);
          check(failures, () -> Legibility.on(screen).overlay("#help").overlay("#number").assertLegible(browser, name));
        }
        for (int step : steps) {
          browser.open(url + "steps/" + step);
          check(failures, () -> Legibility.on(screen).scrolls().assertLegible(browser, "slides-step-" + step));
        }
      }
      assertTrue(failures.isEmpty(), failures.size() + " pages cannot be read:\n" + String.join("\n", failures));
    }
  }

  private interface Check {
    void run() throws Exception;
  }

  /** Runs one page's check and keeps its failure, so that one run lists every page that cannot be read. */
  private static void check(List<String> failures, Check check) throws Exception {
    try {
      check.run();
    } catch (AssertionError e) {
      failures.add(e.getMessage());
    }
  }
}
