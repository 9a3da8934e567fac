package dev.gitopsworkshop.slides;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitopsworkshop.WorkshopException;
import dev.gitopsworkshop.support.Cli;
import dev.gitopsworkshop.tutorial.loader.StepLoader;
import dev.gitopsworkshop.tutorial.model.Step;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SlideDeckTest {
  private static final List<Step> STEPS = StepLoader.load(Cli.projectRoot().resolve("steps"));
  @TempDir Path dir;

  @Test
  void cutsAtRulesAndTopLevelHeadingsButNeverInsideCode() {
    List<String> slides = SlideDeck.split("""
        # One
        text
        ## still one
        ---
        two
        # Three
        ```yaml
        ---
        # a comment, not a heading
        ```
        """);
    assertEquals(3, slides.size(), slides.toString());
    assertTrue(slides.get(0).startsWith("# One") && slides.get(0).contains("## still one"), slides.get(0));
    assertEquals("two", slides.get(1));
    assertTrue(slides.get(2).contains("# a comment, not a heading"), slides.get(2));
  }

  @Test
  void aStepLineBecomesABoxWithTheStepsTitleAndItsCheckCommand() throws Exception {
    Files.writeString(dir.resolve("10-a.md"), "# Deploy\n\nPush it.\n\n{{step 4}}\n\n| a | b |\n|---|---|\n| 1 | 2 |\n");
    Files.writeString(dir.resolve("05-first.md"), "# First\n");
    Files.writeString(dir.resolve("notes.md"), "# not a slide file\n");
    SlideDeck deck = SlideDeck.load(dir, STEPS);
    assertEquals(List.of("First", "Deploy"), deck.slides().stream().map(SlideDeck.Slide::title).toList());
    SlideDeck.Slide deploy = deck.slides().get(1);
    assertEquals(4, deploy.step());
    assertNull(deck.slides().get(0).step());
    assertTrue(deploy.html().contains("Add podinfo through Git") && deploy.html().contains("scripts/workshop check 4")
        && deploy.html().contains("href=\"steps/4\""), deploy.html());
    assertTrue(deploy.html().contains("<table>"), "GitHub tables: " + deploy.html());
  }

  @Test
  void theCheckCommandNamesTheLabsDataDirAndAStepPageHasItsWholeText() throws Exception {
    Files.writeString(dir.resolve("10-a.md"), "# Images\n\n{{step 8}}\n");
    SlideDeck deck = SlideDeck.load(dir, STEPS, id -> "scripts/workshop check " + id + " --data-dir '/tmp/my lab'");
    assertTrue(deck.slides().get(0).html().contains("scripts/workshop check 8 --data-dir '/tmp/my lab'"), deck.slides().get(0).html());
    String page = deck.stepHtml(8).orElseThrow();
    assertTrue(page.contains("For the instructor") && !page.contains("more --"), page);
  }

  @Test
  void htmlInTheMarkdownIsShownNotRun() throws Exception {
    Files.writeString(dir.resolve("10-a.md"), "# Hi\n\n<script>alert(1)</script>\n");
    String html = SlideDeck.load(dir, STEPS).slides().get(0).html();
    assertTrue(html.contains("&lt;script&gt;") && !html.contains("<script>"), html);
  }

  @Test
  void aStepThatDoesNotExistIsAnErrorNamingTheFile() throws Exception {
    Files.writeString(dir.resolve("40-hands-on.md"), "# Later\n\n{{step 42}}\n");
    WorkshopException e = assertThrows(WorkshopException.class, () -> SlideDeck.load(dir, STEPS));
    assertTrue(e.getMessage().contains("40-hands-on.md") && e.getMessage().contains("step 42"), e.getMessage());
    assertTrue(e.hint().contains("{{step N}}"), e.hint());
  }

  @Test
  void aFolderWithoutSlidesIsAnErrorSayingHowToNameThem() {
    WorkshopException e = assertThrows(WorkshopException.class, () -> SlideDeck.load(dir, STEPS));
    assertTrue(e.getMessage().contains("no slides") && e.getMessage().contains("10-why.md"), e.getMessage());
    WorkshopException missing = assertThrows(WorkshopException.class, () -> SlideDeck.load(dir.resolve("nope"), STEPS));
    assertTrue(missing.getMessage().contains("cannot read the slides folder"), missing.getMessage());
  }

  @Test
  void theProjectsDeckHasAHandsOnSlideForEveryStep() {
    SlideDeck deck = SlideDeck.load(Cli.projectRoot().resolve("slides"), STEPS);
    Set<Integer> pointed = new TreeSet<>();
    deck.slides().forEach(s -> {
      if (s.step() != null) {
        pointed.add(s.step());
      }
    });
    assertEquals(new TreeSet<>(STEPS.stream().map(Step::id).toList()), pointed);
    assertEquals("GitOps, hands on", deck.slides().get(0).title());
    String all = String.join("\n", deck.slides().stream().map(SlideDeck.Slide::html).toList());
    assertTrue(all.contains("9898") || all.contains("Flux v2"), "brought to today");
    assertTrue(!all.contains("apps/v1beta1") && !all.contains("port 3000"), "nothing of 2019's outdated APIs");
  }
}
