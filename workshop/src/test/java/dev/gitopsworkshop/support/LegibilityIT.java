package dev.gitopsworkshop.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The instrument the browser tests read pages with: on small pages made to show one defect each,
 * {@link Legibility} names that defect (and nothing on a page without one), so that a page for
 * the room that passes it has none of them.
 */
class LegibilityIT {
  private static final Screen XGA = new Screen(1024, 768);
  @TempDir static Path tmp;
  static Chromium browser;

  @BeforeAll
  static void startBrowser() throws Exception {
    if (Chromium.installed()) {
      browser = Chromium.start(1024, 768);
      browser.viewport(XGA);
    }
  }

  @AfterAll
  static void stopBrowser() throws Exception {
    if (browser != null) {
      browser.close();
    }
  }

  private static List<String> problems(String body, Legibility legibility) throws Exception {
    Chromium.assumeInstalled();
    Path page = Files.writeString(Files.createTempFile(tmp, "page", ".html"), "<!DOCTYPE html><html><head><meta charset=\"utf-8\">"
        + "<style>body { margin: 0; font: 20px/1.3 sans-serif; }</style></head><body>" + body + "</body></html>");
    browser.open(page.toUri().toString());
    return legibility.problems(browser);
  }

  private static List<String> problems(String body) throws Exception {
    return problems(body, Legibility.on(XGA));
  }

  private static void assertOne(List<String> problems, String expected) {
    assertEquals(1, problems.size(), "one problem: " + problems);
    assertTrue(problems.get(0).contains(expected), "'" + expected + "' in: " + problems.get(0));
  }

  @Test
  void findsNothingOnAPageThatFitsEvenWhereNamesBreakAtTheirHyphens() throws Exception {
    assertEquals(List.of(), problems("<p>Some text that fits.</p>"
        + "<div style=\"width: 160px\">pod default/podinfo-vmsc9w58dq-jxd85 ready</div>"
        + "<div style=\"height: 40px; overflow: hidden\"><div>a row that fits</div><div hidden>a row the page hides</div></div>"));
  }

  @Test
  void findsAPageWiderThanTheWindow() throws Exception {
    List<String> problems = problems("<div style=\"width: 1300px\">wide</div>");
    assertTrue(problems.get(0).contains("the page is 1300px wide in a 1024px wide window"), problems.toString());
    assertTrue(problems.stream().anyMatch(p -> p.contains("reaches beyond the window's width")), problems.toString());
  }

  @Test
  void findsAPageHigherThanTheWindowUnlessItIsATextPageThatScrolls() throws Exception {
    String tall = "<div style=\"height: 2000px\">a long page</div><p>its end</p>";
    List<String> problems = problems(tall);
    assertTrue(problems.get(0).contains("the page is 2"), problems.toString());
    assertEquals(List.of(), problems(tall, Legibility.on(XGA).scrolls()));
  }

  @Test
  void findsTextCutWithAnEllipsis() throws Exception {
    assertOne(problems("<div style=\"width: 200px; overflow: hidden; white-space: nowrap; text-overflow: ellipsis\">"
        + "stored artifact for revision main@sha1:b339778625a5e931e733b155d2612a752d0749ac</div>"), "(an ellipsis)");
  }

  @Test
  void findsARowHalfCutAndARowHiddenByItsPanel() throws Exception {
    List<String> problems = problems("<section style=\"height: 60px; overflow: hidden\"><div style=\"height: 45px\">first row</div>"
        + "<div>the half-cut row</div><div style=\"margin-top: 40px\">a row nobody sees</div></section>");
    assertEquals(2, problems.size(), problems.toString());
    assertTrue(problems.get(0).contains("\"the half-cut row\" is cut"), problems.get(0));
    assertTrue(problems.get(1).contains("\"a row nobody sees\" cannot be seen"), problems.get(1));
  }

  @Test
  void findsAWordSplitAcrossLines() throws Exception {
    assertOne(problems("<div style=\"width: 120px; overflow-wrap: anywhere\">deploy/kubernetes: in progress</div>"), "splits the word");
  }

  @Test
  void findsCodeSplitAtItsHyphenWhereProseMayBreak() throws Exception {
    String path = "examples/podinfo-image-automation.yaml";
    assertEquals(List.of(), problems("<div style=\"width: 300px\">read " + path + "</div>"));
    List<String> problems = problems("<div style=\"width: 300px\">read <code>" + path + "</code></div>");
    assertTrue(!problems.isEmpty() && problems.stream().allMatch(p -> p.contains("splits the word \"examples/")), problems.toString());
  }

  @Test
  void findsTextTooSmallForTheBackOfTheRoom() throws Exception {
    assertOne(problems("<p style=\"font-size: 12px\">fine print</p>"), "is set in 12px, below the 13.7px minimum");
    assertOne(problems("<div class=\"pod\" style=\"font-size: 18px\">ready</div>", Legibility.on(XGA).minFontShare(".pod", 1 / 40.0)),
        "is set in 18px, below the 19.2px minimum");
  }

  @Test
  void findsTextUnderAFooter() throws Exception {
    assertOne(problems("<div style=\"position: absolute; top: 740px\">the table's last row</div>"
        + "<div id=\"help\" style=\"position: fixed; bottom: 0; height: 30px\">keys</div>", Legibility.on(XGA).overlay("#help")),
        "\"the table's last row\" runs under div#help");
  }
}
