package dev.gitopsworkshop.slides;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitopsworkshop.support.Background;
import dev.gitopsworkshop.support.Chromium;
import dev.gitopsworkshop.support.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code workshop slides} as a presenter uses it: the packaged tool serving the deck, a real (headless) Chromium showing it. */
class SlidesBrowserIT {
  @TempDir Path tmp;

  @BeforeAll
  static void needsChromium() {
    Chromium.assumeInstalled();
  }

  @Test
  void showsTheFirstSlideAndAHandsOnSlideThatNamesItsStepAndNavigatesByKeyboard() throws Exception {
    Files.createDirectories(tmp.resolve("home"));
    Cli cli = new Cli(tmp.resolve("home"), tmp);
    Background slides = cli.start(tmp, Map.of(), cli.workshop("slides"));
    try (Chromium browser = Chromium.start(1600, 900)) {
      String url = slides.awaitLine("slides prints its URL", l -> !l.isBlank(), Duration.ofSeconds(30)).strip();
      assertTrue(url.matches("http://127\\.0\\.0\\.1:\\d+/"), "slides prints its URL: " + slides);

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
    } finally {
      slides.close();
    }
  }
}
