package dev.gitopsworkshop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitopsworkshop.support.Cli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README shows the tool's --help output; this keeps the two in step. To refresh the README,
 * run with -Dreadme.update=true.
 */
class ReadmeTest {
  static final List<List<String>> SHOWN =
      List.of(List.of("--help"), List.of("run", "--help"), List.of("check", "--help"), List.of("reset", "--help"), List.of("up", "--help"),
          List.of("doctor", "--help"), List.of("prefetch", "--help"), List.of("git", "serve", "--help"), List.of("git", "room", "--help"),
          List.of("slides", "--help"), List.of("demo", "drift", "--help"), List.of("demo", "disaster", "--help"),
          List.of("demo", "rollback", "--help"));

  static String helpBlock() {
    List<String> parts = new ArrayList<>();
    for (List<String> args : SHOWN) {
      StringWriter out = new StringWriter();
      CommandLineFactory.create(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true))
          .execute(args.toArray(String[]::new));
      parts.add("$ scripts/workshop " + String.join(" ", args) + "\n" + out.toString().stripTrailing());
    }
    return String.join("\n\n", parts);
  }

  @Test
  void readmeShowsTheCurrentHelp() throws Exception {
    Path readme = Cli.projectRoot().resolve("README.md");
    String text = Files.readString(readme);
    String start = "<!-- help:start (kept in step with the tool by ReadmeTest) -->\n```text\n";
    int a = text.indexOf(start) + start.length();
    int b = text.indexOf("\n```\n<!-- help:end -->", a);
    String expected = helpBlock();
    if (Boolean.getBoolean("readme.update")) {
      Files.writeString(readme, text.substring(0, a) + expected + text.substring(b));
      return;
    }
    assertEquals(expected, text.substring(a, b), "README's --help block is stale: run mvn test -Dtest=ReadmeTest -Dreadme.update=true");
  }

  @Test
  void theReadmeOpensWithTheTwoCommandsAndCiRunsExactlyItsTestCommandThroughTheMavenWrapper() throws Exception {
    Path root = Cli.projectRoot();
    List<String> readme = Files.readAllLines(root.resolve("README.md"));
    assertEquals(List.of("# gitops-workshop", "", "```bash"), readme.subList(0, 3));
    assertEquals("scripts/workshop run", readme.get(3).replaceAll("\\s+#.*", ""));
    String testCommand = readme.get(4).replaceAll("\\s+#.*", "");
    assertEquals("./mvnw -B verify", testCommand);
    List<String> ci = Files.readAllLines(root.resolve(".ci/run")).stream()
        .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
    assertEquals(testCommand, ci.get(ci.size() - 1), ".ci/run ends with the README's test command");
    String wrapper = Files.readString(root.resolve(".mvn/wrapper/maven-wrapper.properties"));
    assertTrue(wrapper.contains("/org/apache/maven/apache-maven/3.9.16/apache-maven-3.9.16-bin.zip"), wrapper);
    assertTrue(Files.isExecutable(root.resolve("mvnw")), "mvnw is executable");
    assertTrue(Files.readString(root.resolve("scripts/workshop")).contains("./mvnw "), "the launcher builds with the wrapper");
  }
}
