package dev.gitopsworkshop.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PrintedCommandsTest {
  private static final Path ROOT = Path.of("/home/pat/gitops-workshop");

  @Test
  void fromTheProjectFolderWithTheDefaultDataDirTheCommandIsShort() {
    assertEquals("scripts/workshop check 4", PrintedCommands.workshop(DataDir.at(ROOT.resolve(".workshop")), "check 4", ROOT, ROOT));
  }

  @Test
  void anotherDataDirIsNamedByItsFullPathAndQuotedWhenItHasASpace() {
    assertEquals("scripts/workshop run --from 6 --data-dir '/tmp/my lab'",
        PrintedCommands.workshop(DataDir.at(Path.of("/tmp/my lab")), "run --from 6", ROOT, ROOT));
  }

  @Test
  void fromAnotherFolderTheLauncherAndTheDataDirAreFullPaths() {
    assertEquals("/home/pat/gitops-workshop/scripts/workshop status --data-dir /home/pat/gitops-workshop/.workshop",
        PrintedCommands.workshop(DataDir.at(ROOT.resolve(".workshop")), "status", Path.of("/tmp"), ROOT));
    assertEquals("/home/pat/gitops-workshop/scripts/workshop status --data-dir /home/pat/gitops-workshop/.workshop",
        PrintedCommands.workshopAnywhere(DataDir.at(ROOT.resolve(".workshop")), "status", ROOT));
  }

  @Test
  void quotingKeepsPlainWordsAndQuotesTheRest() {
    assertEquals("/a/b-c_d.e:1", PrintedCommands.quote("/a/b-c_d.e:1"));
    assertEquals("'/tmp/my lab'", PrintedCommands.quote("/tmp/my lab"));
    assertEquals("'it'\\''s'", PrintedCommands.quote("it's"));
    assertEquals("''", PrintedCommands.quote(""));
    assertEquals("export KUBECONFIG='/tmp/my lab/kubeconfig'", PrintedCommands.exportKubeconfig("/tmp/my lab/kubeconfig"));
  }
}
