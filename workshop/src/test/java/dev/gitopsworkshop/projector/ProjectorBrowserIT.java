package dev.gitopsworkshop.projector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitopsworkshop.support.Chromium;
import dev.gitopsworkshop.support.Cli;
import dev.gitopsworkshop.support.Legibility;
import dev.gitopsworkshop.support.RunningLab;
import dev.gitopsworkshop.support.Screen;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The projector view in a real browser (headless Chromium) on one lab started with {@code up}:
 * after the tutorial's steps 0 to 4 (done by {@code run --auto}) it shows podinfo's pod and changes
 * by itself when someone deletes the Deployment with kubectl; at every common projector mode, after
 * step 4, after the whole tutorial and with a crowded cluster, all of it can be read (screenshots
 * in target/screenshots/projector-*).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProjectorBrowserIT {
  private static final String POD_READY = "document.querySelector('[data-workload=\"default/podinfo\"] .pod[data-state=\"ready\"]') !== null";
  @TempDir static Path tmp;
  static RunningLab lab;
  static Cli.Result toStepFour;

  @BeforeAll
  static void labAtStepFour() throws Exception {
    if (!Chromium.installed()) {
      return; // each test says it is skipped, and why
    }
    lab = RunningLab.up(tmp);
    toStepFour = lab.cli().run(tmp, lab.cli().workshop("run", "--auto", "--to", "4", "--data-dir", lab.dataDir().toString())).ok();
  }

  @AfterAll
  static void stopLab() throws Exception {
    if (lab != null) {
      lab.close();
    }
  }

  /** The projector's checks on a screen: pods (not the operator's small chips) read from the back of a room. */
  static Legibility legibility(Screen screen) {
    return Legibility.on(screen).minFontShare(".workload:not(.operator) .pod", 1 / 40.0);
  }

  private static String deployment(String name, int replicas) {
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: %1$s, namespace: default}
        spec:
          replicas: %2$d
          selector: {matchLabels: {app: %1$s}}
          template:
            metadata: {labels: {app: %1$s}}
            spec: {containers: [{name: app, image: "ghcr.io/stefanprodan/podinfo:6.5.0"}]}
        """.formatted(name, replicas);
  }

  @Test
  @Order(1)
  void showsPodinfosPodsAfterStepFourAndFollowsADeleteWithoutReloading() throws Exception {
    Chromium.assumeInstalled();
    String url = lab.lab().get("console", "projector");
    assertEquals(lab.lab().get("console", "url") + "/projector", url);
    assertTrue(toStepFour.err().contains("projector view for the room: " + url), toStepFour.err());
    try (Chromium browser = Chromium.start(1600, 900)) {
      browser.viewport(new Screen(1280, 720));
      browser.open(url);
      browser.waitFor("podinfo's pod shown ready", POD_READY, Duration.ofSeconds(30));
      browser.waitFor("the page says it is live", "window.projector.live", Duration.ofSeconds(10));
      assertTrue(browser.text("document.getElementById('step').textContent").contains("Step 4 · Add podinfo through Git"),
          browser.text("document.getElementById('step').textContent"));
      assertTrue(browser.eval("document.querySelector('#commits .commit .badge.applied') !== null").asBoolean(),
          "the newest commit is marked applied: " + browser.text("document.getElementById('commits').textContent"));
      assertTrue(browser.text("document.getElementById('flux').textContent").contains("Kustomization workshop"));
      String podBefore = browser.text("document.querySelector('[data-workload=\"default/podinfo\"] .pod').dataset.pod");
      assertTrue(browser.text("document.querySelector('[data-workload=\"default/podinfo\"] .pod').textContent")
          .contains(podBefore.substring("podinfo-".length())), "the box names its pod (after the workload's name, which heads the row)");
      String loadId = browser.text("window.projector.loadId");
      for (Screen screen : Screen.PROJECTOR_MODES) {
        browser.viewport(screen);
        legibility(screen).assertLegible(browser, "projector-after-step-4");
      }

      Screen xga = Screen.PROJECTOR_MODES.get(0);
      browser.viewport(xga);
      lab.kubectl("delete", "deployment", "podinfo").ok();

      browser.waitFor("the timeline shows the delete", "document.getElementById('entries').textContent"
          + ".includes('Deployment default/podinfo deleted')", Duration.ofSeconds(30));
      browser.waitFor("a new podinfo pod shown ready (Flux put it back)", "[...document.querySelectorAll("
          + "'[data-workload=\"default/podinfo\"] .pod[data-state=\"ready\"]')].some(p => p.dataset.pod !== '" + podBefore + "')",
          Duration.ofSeconds(30));
      assertEquals(loadId, browser.text("window.projector.loadId"), "the page changed by itself, it was not reloaded");
      Path shot = legibility(xga).assertLegible(browser, "projector-after-delete");
      assertTrue(Files.size(shot) > 10_000, "a real screenshot: " + Files.size(shot) + " bytes");
    }
  }

  @Test
  @Order(2)
  void canBeReadAtEveryProjectorModeAfterTheWholeTutorialAndWithACrowdedCluster() throws Exception {
    Chromium.assumeInstalled();
    lab.cli().run(tmp, lab.cli().workshop("run", "--auto", "--from", "5", "--data-dir", lab.dataDir().toString())).ok();
    try (Chromium browser = Chromium.start(1600, 900)) {
      browser.open(lab.lab().get("console", "projector"));
      browser.waitFor("step 8 shown done", "document.getElementById('step').textContent.includes('Step 8')"
          + " && document.querySelector('#step .state-done') !== null", Duration.ofSeconds(30));
      browser.waitFor("podinfo's four pods shown ready", "document.querySelectorAll("
          + "'[data-workload=\"default/podinfo\"] .pod[data-state=\"ready\"]').length === 4", Duration.ofSeconds(60));
      // and 1400x900, where commit messages and pod boxes were once cut
      for (Screen screen : Stream.concat(Screen.PROJECTOR_MODES.stream(), Stream.of(new Screen(1400, 900))).toList()) {
        browser.viewport(screen);
        legibility(screen).assertLegible(browser, "projector-after-step-8");
      }

      // more workloads and pods than a screen holds: the page shows what fits and says how many more
      StringBuilder crowd = new StringBuilder(deployment("a-workload-with-a-rather-long-name", 12));
      for (int i = 1; i <= 5; i++) {
        crowd.append("---\n").append(deployment("extra-" + i, 3));
      }
      Path manifest = Files.writeString(tmp.resolve("crowd.yaml"), crowd);
      lab.kubectl("apply", "-f", manifest.toString()).ok();
      browser.waitFor("the crowded cluster shown", "document.querySelector('[data-workload=\"default/extra-5\"]') !== null"
          + " && document.querySelectorAll('[data-workload=\"default/a-workload-with-a-rather-long-name\"] .pod').length >= 12",
          Duration.ofSeconds(60));
      for (Screen screen : Screen.PROJECTOR_MODES) {
        browser.viewport(screen);
        legibility(screen).assertLegible(browser, "projector-crowded");
        assertTrue(browser.eval("document.querySelector('#workloads > [data-workload=\"default/podinfo\"]').hidden === false")
            .asBoolean(), "the workload Flux applied from Git is shown first at " + screen);
        int notShown = browser.eval("document.querySelectorAll('#workloads > .workload[hidden]').length").asInt();
        assertTrue(notShown > 0, "a crowded cluster does not fit at " + screen);
        assertEquals("+" + notShown + " more workloads", browser.text("document.querySelector('#workloads > .more-note').textContent"),
            "says how many workloads it does not show at " + screen);
      }
    }
  }
}
