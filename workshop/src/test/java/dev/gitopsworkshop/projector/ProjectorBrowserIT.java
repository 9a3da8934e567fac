package dev.gitopsworkshop.projector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitopsworkshop.support.Chromium;
import dev.gitopsworkshop.support.RunningLab;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The projector view in a real browser (headless Chromium): a lab started with {@code up}, the
 * tutorial's steps 0 to 4 done by {@code run --auto}, the page open on the lab console; it shows
 * podinfo's pod and changes by itself when someone deletes the Deployment with kubectl.
 */
class ProjectorBrowserIT {
  @TempDir Path tmp;

  @BeforeAll
  static void needsChromium() {
    Chromium.assumeInstalled();
  }

  @Test
  void showsPodinfosPodsAfterStepFourAndFollowsADeleteWithoutReloading() throws Exception {
    try (RunningLab lab = RunningLab.up(tmp)) {
      var run = lab.cli().run(tmp, lab.cli().workshop("run", "--auto", "--to", "4", "--data-dir", lab.dataDir().toString())).ok();
      String url = lab.lab().get("console", "projector");
      assertEquals(lab.lab().get("console", "url") + "/projector", url);
      assertTrue(run.err().contains("projector view for the room: " + url), run.err());
      try (Chromium browser = Chromium.start(1600, 900)) {
        browser.open(url);
        browser.waitFor("podinfo's pod shown ready", "document.querySelector("
            + "'[data-workload=\"default/podinfo\"] .pod[data-state=\"ready\"]') !== null", Duration.ofSeconds(30));
        browser.waitFor("the page says it is live", "window.projector.live", Duration.ofSeconds(10));
        assertTrue(browser.text("document.getElementById('step').textContent").contains("Step 4 · Add podinfo through Git"),
            browser.text("document.getElementById('step').textContent"));
        assertTrue(browser.eval("document.querySelector('#commits .commit .badge.applied') !== null").asBoolean(),
            "the newest commit is marked applied: " + browser.text("document.getElementById('commits').textContent"));
        assertTrue(browser.text("document.getElementById('flux').textContent").contains("Kustomization workshop"));
        String podBefore = browser.text("document.querySelector('[data-workload=\"default/podinfo\"] .pod').dataset.pod");
        String loadId = browser.text("window.projector.loadId");
        browser.screenshot(Chromium.screenshotFile("projector-after-step-4"));

        lab.kubectl("delete", "deployment", "podinfo").ok();

        browser.waitFor("the timeline shows the delete", "document.getElementById('entries').textContent"
            + ".includes('Deployment default/podinfo deleted')", Duration.ofSeconds(30));
        browser.waitFor("a new podinfo pod shown ready (Flux put it back)", "[...document.querySelectorAll("
            + "'[data-workload=\"default/podinfo\"] .pod[data-state=\"ready\"]')].some(p => p.dataset.pod !== '" + podBefore + "')",
            Duration.ofSeconds(30));
        assertEquals(loadId, browser.text("window.projector.loadId"), "the page changed by itself, it was not reloaded");
        Path shot = browser.screenshot(Chromium.screenshotFile("projector-after-delete"));
        assertTrue(Files.size(shot) > 10_000, "a real screenshot: " + Files.size(shot) + " bytes");
      }
    }
  }
}
