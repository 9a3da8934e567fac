package dev.gitopsworkshop.tutorial.runner;

import dev.gitopsworkshop.tutorial.TutorialContext;
import dev.gitopsworkshop.tutorial.model.Step;
import picocli.CommandLine.Help.Ansi;

/** A step's Markdown for a terminal: headings in bold, code indented, the lab's values filled in. */
final class StepText {
  private StepText() {}

  static String render(Step step, TutorialContext context) {
    StringBuilder out = new StringBuilder();
    boolean code = false;
    for (String line : context.fill(step.body()).split("\n", -1)) {
      if (line.startsWith("```")) {
        code = !code;
        continue;
      }
      if (code) {
        out.append("    ").append(line).append('\n');
      } else if (line.startsWith("#")) {
        out.append(Ansi.AUTO.string("@|bold " + line.replaceFirst("^#+\\s*", "").replace("|@", "| @") + "|@")).append('\n');
      } else {
        out.append(line.replace("**", "").replace("`", "")).append('\n');
      }
    }
    return out.toString();
  }
}
