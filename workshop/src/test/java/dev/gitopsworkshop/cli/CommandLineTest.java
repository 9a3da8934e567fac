package dev.gitopsworkshop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitopsworkshop.WorkshopException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.BindException;
import org.junit.jupiter.api.Test;

class CommandLineTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return CommandLineFactory.create(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
  }

  @Test
  void helpListsTheCommands() {
    assertEquals(0, run("--help"));
    assertTrue(out.toString().contains("Commands:"), out.toString());
    assertTrue(out.toString().contains("git"), out.toString());
  }

  @Test
  void versionNamesTheProduct() {
    assertEquals(0, run("--version"));
    assertTrue(out.toString().startsWith("gitops-workshop "), out.toString());
  }

  @Test
  void unknownOptionIsOneLineAndExitCodeTwo() {
    assertEquals(2, run("--bogus"));
    String[] lines = err.toString().strip().split("\n");
    assertTrue(lines[0].contains("Unknown option: '--bogus'"), err.toString());
    assertTrue(lines[1].contains("--help"), err.toString());
    assertEquals(2, lines.length);
  }

  @Test
  void aMistypedCommandOrOptionGetsASuggestion() {
    assertEquals(2, run("stpes"));
    assertTrue(err.toString().contains("did you mean: workshop steps?"), err.toString());
    assertEquals(2, run("run", "--atuo"));
    assertTrue(err.toString().contains("did you mean: --auto?"), err.toString());
    assertEquals(Suggestions.closest("xyzzy", java.util.List.of("run", "steps")), java.util.List.of(), "nothing close: no suggestion");
  }

  @Test
  void envWithoutALabSaysHowToStartOneForThatDataDir() {
    assertEquals(1, run("env", "--data-dir", "/tmp/no lab here"));
    assertEquals("", out.toString(), "nothing for eval to run");
    assertTrue(err.toString().contains("no lab is running in /tmp/no lab here"), err.toString());
    assertTrue(err.toString().contains("up --data-dir '/tmp/no lab here'"), err.toString());
  }

  @Test
  void stepsShowPrintsAStepsWholeTextBeyondItsGuidedScreen() {
    assertEquals(0, run("steps", "show", "8", "--data-dir", "/tmp/no lab here"));
    assertTrue(out.toString().startsWith("──── step 8 ────"), out.toString());
    assertTrue(out.toString().contains("For the instructor") && out.toString().contains("Prefer a semver range"), out.toString());
    assertFalse(out.toString().contains("<!--"), out.toString());
    assertTrue(err.toString().contains("no lab running in /tmp/no lab here"), err.toString());
  }

  @Test
  void portInUseIsExplainedInPlainWords() {
    WorkshopException e =
        ErrorHandler.explain(new RuntimeException("start failed", new BindException("Address already in use")));
    assertTrue(e.getMessage().contains("port is already in use"), e.getMessage());
    assertTrue(e.hint().contains("--port"), e.hint());
  }

  @Test
  void userErrorsKeepTheirOwnMessageAndHint() {
    WorkshopException e = ErrorHandler.explain(new WorkshopException("no lab found", "start one"));
    assertEquals("no lab found", e.getMessage());
    assertEquals("start one", e.hint());
    assertFalse(e.hint().isEmpty());
  }
}
