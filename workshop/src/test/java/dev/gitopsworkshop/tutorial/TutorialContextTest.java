package dev.gitopsworkshop.tutorial;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitopsworkshop.WorkshopException;
import dev.gitopsworkshop.state.CurrentStep;
import dev.gitopsworkshop.state.DataDir;
import dev.gitopsworkshop.state.LabFile;
import dev.gitopsworkshop.support.Cli;
import dev.gitopsworkshop.tutorial.loader.StepLoader;
import dev.gitopsworkshop.tutorial.model.Step;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TutorialContextTest {
  @TempDir Path tmp;

  private TutorialContext context(String kubeconfig) {
    LabFile lab = LabFile.empty()
        .put("git", "url", "http://127.0.0.1:8080/workshop.git")
        .put("git", "username", "participant")
        .put("git", "password", "p@ss word")
        .put("git", "operatorUsername", "flux")
        .put("cluster", "kubeconfig", kubeconfig);
    return new TutorialContext(lab, DataDir.at(tmp.resolve("data")));
  }

  @Test
  void placeholdersAreFilledFromLabJsonAndTheDataDir() {
    TutorialContext c = context("unused");
    assertEquals("git clone -c credential.helper= -c 'credential.helper=store --file=" + tmp.resolve("data/git-credentials")
            + "' http://127.0.0.1:8080/workshop.git " + tmp.resolve("data/workspace"),
        c.fill("{{git.cloneCommand}}"), "the password stays out of the clone command");
    assertEquals("cd " + tmp.resolve("data/workspace"), c.fill("cd {{ workspace }}"));
    assertEquals("user flux at http://127.0.0.1:8080/workshop.git", c.fill("user {{git.operatorUsername}} at {{git.url}}"));
    assertEquals("{{git.nothing}} stays", c.fill("{{git.nothing}} stays"), "an unknown placeholder is left for the reader to see");
  }

  @Test
  void reportingAStepTellsTheProjectorWhichStepIsInProgress() {
    TutorialContext c = context("unused");
    Step step = StepLoader.load(Cli.projectRoot().resolve("steps")).get(4);
    c.reportStep(step, CurrentStep.State.IN_PROGRESS);
    CurrentStep shown = CurrentStep.read(DataDir.at(tmp.resolve("data"))).orElseThrow();
    assertEquals(4, shown.id());
    assertEquals("Add podinfo through Git", shown.title());
    assertEquals(CurrentStep.State.IN_PROGRESS, shown.state());
    c.reportStep(step, CurrentStep.State.DONE);
    assertEquals(CurrentStep.State.DONE, CurrentStep.read(DataDir.at(tmp.resolve("data"))).orElseThrow().state());
  }

  @Test
  void aLabWhoseApiDoesNotAnswerIsAClearError() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path kubeconfig = tmp.resolve("kubeconfig");
    Files.writeString(kubeconfig, """
        apiVersion: v1
        kind: Config
        clusters: [{name: lab, cluster: {server: "http://127.0.0.1:%d"}}]
        users: [{name: lab, user: {token: t}}]
        contexts: [{name: lab, context: {cluster: lab, user: lab}}]
        current-context: lab
        """.formatted(port));
    WorkshopException e = assertThrows(WorkshopException.class, () -> context(kubeconfig.toString()).requireAnswering());
    assertTrue(e.getMessage().startsWith("the lab in " + tmp.resolve("data") + " does not answer"), e.getMessage());
    assertTrue(e.hint().contains("start it again"), e.hint());
  }
}
