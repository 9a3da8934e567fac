package dev.gitopsworkshop.slides;

import dev.gitopsworkshop.WorkshopException;
import dev.gitopsworkshop.tutorial.model.Step;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.commonmark.Extension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * The workshop's deck: the Markdown files {@code slides/NN-name.md} in name order, cut into slides
 * at every line that is only {@code ---} and before every top-level ({@code #}) heading, each
 * rendered to HTML with commonmark (GitHub tables included). A line {@code {{step N}}} becomes a
 * box naming tutorial step N by its title, with the command that checks it and a link to its text,
 * so a hands-on slide always matches {@code steps/}.
 */
public final class SlideDeck {
  private static final Pattern FILE = Pattern.compile("\\d\\d-[\\w-]+\\.md");
  private static final Pattern STEP = Pattern.compile("^\\{\\{\\s*step\\s+(\\d+)\\s*}}\\s*$");
  private static final Pattern FENCE = Pattern.compile("^\\s*(```|~~~).*");
  private static final List<Extension> EXTENSIONS = List.of(TablesExtension.create());
  private static final Parser PARSER = Parser.builder().extensions(EXTENSIONS).build();
  private static final HtmlRenderer HTML = HtmlRenderer.builder().extensions(EXTENSIONS).escapeHtml(true).build();

  /** One slide: its title (the first heading, or the file's name), its HTML, the step it points to. */
  public record Slide(String title, String html, String file, Integer step) {}

  private final List<Slide> slides;
  private final List<Step> steps;

  private SlideDeck(List<Slide> slides, List<Step> steps) {
    this.slides = slides;
    this.steps = steps;
  }

  /** Reads {@code dir}'s slide files; the steps name the hands-on slides' steps, checked with {@code scripts/workshop check N}. */
  public static SlideDeck load(Path dir, List<Step> steps) {
    return load(dir, steps, id -> "scripts/workshop check " + id);
  }

  /** Like {@link #load(Path, List)}, with the command that checks step N (the lab's data dir in it). */
  public static SlideDeck load(Path dir, List<Step> steps, IntFunction<String> checkCommand) {
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files = list.filter(p -> FILE.matcher(p.getFileName().toString()).matches()).sorted().toList();
    } catch (IOException e) {
      throw new WorkshopException("cannot read the slides folder " + dir + ": " + e.getMessage(),
          "run the tool through scripts/workshop from the project's checkout, or pass --dir");
    }
    if (files.isEmpty()) {
      throw new WorkshopException("there are no slides in " + dir + " (files named like 10-why.md)",
          "add Markdown files named NN-name.md there, or pass --dir with the deck's folder");
    }
    List<Slide> slides = new ArrayList<>();
    for (Path file : files) {
      String text;
      try {
        text = Files.readString(file);
      } catch (IOException e) {
        throw new WorkshopException("cannot read " + file + ": " + e.getMessage(), "check the file's permissions");
      }
      for (String chunk : split(text)) {
        slides.add(render(chunk, file.getFileName().toString(), steps, checkCommand));
      }
    }
    return new SlideDeck(List.copyOf(slides), steps);
  }

  /** Cuts one file's Markdown into slides: at {@code ---} lines and before {@code #} headings, never inside code. */
  static List<String> split(String markdown) {
    List<String> chunks = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean inCode = false;
    for (String line : markdown.split("\r?\n", -1)) {
      if (FENCE.matcher(line).matches()) {
        inCode = !inCode;
      }
      boolean rule = !inCode && line.strip().equals("---");
      boolean heading = !inCode && line.startsWith("# ");
      if ((rule || heading) && !current.toString().isBlank()) {
        chunks.add(current.toString().strip());
        current.setLength(0);
      } else if (rule) {
        current.setLength(0);
      }
      if (!rule) {
        current.append(line).append('\n');
      }
    }
    if (!current.toString().isBlank()) {
      chunks.add(current.toString().strip());
    }
    return chunks;
  }

  private static Slide render(String chunk, String file, List<Step> steps, IntFunction<String> checkCommand) {
    String title = null;
    Integer step = null;
    StringBuilder html = new StringBuilder();
    StringBuilder markdown = new StringBuilder();
    for (String line : chunk.split("\n")) {
      Matcher m = STEP.matcher(line);
      if (m.matches()) {
        html.append(HTML.render(PARSER.parse(markdown.toString())));
        markdown.setLength(0);
        step = Integer.parseInt(m.group(1));
        html.append(stepBox(step, steps, file, checkCommand));
        continue;
      }
      if (title == null && line.startsWith("#")) {
        title = line.replaceFirst("^#+\\s*", "").strip();
      }
      markdown.append(line).append('\n');
    }
    html.append(HTML.render(PARSER.parse(markdown.toString())));
    return new Slide(title == null ? file : title, html.toString(), file, step);
  }

  private static String stepBox(int id, List<Step> steps, String file, IntFunction<String> checkCommand) {
    Step step = steps.stream().filter(s -> s.id() == id).findFirst().orElseThrow(() -> new WorkshopException(
        "the slides in " + file + " point to step " + id + ", and there is no such step",
        "the steps are " + steps.stream().map(s -> String.valueOf(s.id())).reduce((a, b) -> a + ", " + b).orElse("none")
            + ": fix the {{step N}} line"));
    return "<aside class=\"step\" data-step=\"" + id + "\"><div class=\"label\">Hands-on · step " + id + "</div>"
        + "<a class=\"title\" href=\"steps/" + id + "\">" + escape(step.title()) + "</a>"
        + "<div class=\"check\"><code>" + escape(checkCommand.apply(id)) + "</code>"
        + (step.available() ? "" : " <span class=\"unavailable\">(not available yet: " + escape(step.unavailable()) + ")</span>")
        + "</div></aside>\n";
  }

  public List<Slide> slides() {
    return slides;
  }

  /** A step's own text (its Markdown body), as a page the hands-on slides link to. */
  public Optional<String> stepHtml(int id) {
    return steps.stream().filter(s -> s.id() == id).findFirst().map(s -> "<h1>Step " + s.id() + " · " + escape(s.title()) + "</h1>\n"
        + HTML.render(PARSER.parse(s.fullText().replaceFirst("(?s)^\\s*# [^\n]*\n", ""))));
  }

  static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
