package dev.gitopsworkshop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gitopsworkshop.support.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShellTest {
  @TempDir Path tmp;

  @Test
  void plainWordsStayAsTyped() {
    assertEquals("/home/ada/.workshop/kubeconfig", Shell.quote("/home/ada/.workshop/kubeconfig"));
    assertEquals("http://127.0.0.1:8080/workshop.git", Shell.quote("http://127.0.0.1:8080/workshop.git"));
  }

  @Test
  void wordsAShellWouldSplitOrExpandComeBackWhole() throws Exception {
    List<String> words = List.of("/home/ada/my labs/kubeconfig", "it's", "$HOME", "a\"b", "`x`", "", "~/x", "a*b", "tab\there");
    Files.createDirectories(tmp.resolve("home"));
    Cli cli = new Cli(tmp.resolve("home"), tmp);
    for (String word : words) {
      String printed = cli.run(tmp, "bash", "-c", "printf '%s' " + Shell.quote(word)).ok().out();
      assertEquals(word, printed, "bash reads back " + Shell.quote(word));
    }
  }
}
