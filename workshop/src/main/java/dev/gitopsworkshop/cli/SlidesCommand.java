package dev.gitopsworkshop.cli;

import dev.gitopsworkshop.lab.Foreground;
import dev.gitopsworkshop.slides.SlideDeck;
import dev.gitopsworkshop.slides.SlidesServer;
import dev.gitopsworkshop.state.DataDir;
import dev.gitopsworkshop.state.PrintedCommands;
import dev.gitopsworkshop.state.ProjectContent;
import dev.gitopsworkshop.tutorial.loader.StepLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.function.IntFunction;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code workshop slides}: the deck in a browser, served from this machine, no lab needed. */
@Command(
    name = "slides",
    mixinStandardHelpOptions = true,
    description = {
      "Serve the workshop's slides on this machine (offline, no lab needed) until Ctrl-C.",
      "Open the printed URL in a browser: arrows, space and PageUp/PageDown move, Home and End jump, f is full screen, "
          + "the slide's number is in the URL (#5). Hands-on slides name their step and link to its text. "
          + "The deck is read again on every page load, so edit slides/*.md and reload."
    })
public final class SlidesCommand implements Callable<Integer> {
  @Option(names = "--port", paramLabel = "PORT", defaultValue = "0",
      description = "Port on 127.0.0.1 (default: any free one).")
  int port;

  @Option(names = "--dir", paramLabel = "DIR", description = "The deck's folder (default: the project's slides/).")
  Path dir;

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "The data dir of the lab whose commands the hands-on slides show ('check N'). Default: '.workshop' in the "
          + "current directory.")
  Path dataDir;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    ProjectContent content = ProjectContent.locate();
    Path slides = dir != null ? dir : content.slides();
    DataDir lab = DataDir.at(dataDir == null ? Path.of(".workshop") : dataDir);
    IntFunction<String> check = id -> PrintedCommands.workshop(lab, "check " + id);
    SlideDeck first = SlideDeck.load(slides, StepLoader.load(content.steps()), check); // a broken deck is said now, not in the browser
    SlidesServer server = SlidesServer.start(port, () -> SlideDeck.load(slides, StepLoader.load(content.steps()), check));
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    err.println(Console.success(first.slides().size() + " slides from " + slides));
    out.println(server.url());
    out.flush();
    err.println(Console.waiting("serving until Ctrl-C"));
    err.flush();
    Foreground.runUntilSignalled(server::close);
    return 0;
  }
}
