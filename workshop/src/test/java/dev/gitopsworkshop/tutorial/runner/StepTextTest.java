package dev.gitopsworkshop.tutorial.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.Help.Ansi;

class StepTextTest {
  private static final String STEP = """
      # Add podinfo

      Copy **one** file with `cp`:

      ```bash
      cp examples/podinfo-dep.yaml deploy/kubernetes/
      ```
      Done.""";

  @Test
  void withoutColourMarkdownsMarksGoAndCodeIsIndented() {
    assertEquals("Add podinfo\n\nCopy one file with cp:\n\n    cp examples/podinfo-dep.yaml deploy/kubernetes/\nDone.\n",
        StepText.render(STEP, Ansi.OFF));
  }

  @Test
  void onATerminalHeadingsAndStrongAreBoldAndCodeIsCyan() {
    String text = StepText.render(STEP, Ansi.ON);
    assertTrue(text.contains("\u001B[1mAdd podinfo"), text);
    assertTrue(text.contains("\u001B[1mone"), text);
    assertTrue(text.contains("\u001B[36mcp\u001B[39m"), text);
    assertTrue(text.contains("    \u001B[36mcp examples/podinfo-dep.yaml"), text);
  }

  @Test
  void textThatLooksLikeMarkupStaysText() {
    assertEquals("a |@ b `x|@y`\n".replace("`x|@y`", "x| @y"), StepText.render("a |@ b `x|@y`", Ansi.OFF));
  }
}
