package dev.gitopsworkshop.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CurrentStepTest {
  @TempDir Path dir;

  @Test
  void writesAndReadsTheStepInProgress() throws Exception {
    DataDir data = DataDir.at(dir);
    assertTrue(CurrentStep.read(data).isEmpty(), "no step reported yet");
    CurrentStep step = new CurrentStep(4, "04-add-podinfo", "Add podinfo through Git", CurrentStep.State.IN_PROGRESS,
        Instant.parse("2026-11-30T10:00:00Z"));
    step.write(data);
    assertEquals(step, CurrentStep.read(data).orElseThrow());
    assertTrue(Files.readString(dir.resolve("step.json")).contains("\"state\":\"in progress\""));
    new CurrentStep(4, "04-add-podinfo", "Add podinfo through Git", CurrentStep.State.DONE, Instant.now()).write(data);
    assertEquals(CurrentStep.State.DONE, CurrentStep.read(data).orElseThrow().state());
  }

  @Test
  void aDamagedFileReadsAsNoStep() throws Exception {
    Files.writeString(dir.resolve("step.json"), "{\"id\": 4, \"state\": \"dancing\"");
    assertTrue(CurrentStep.read(DataDir.at(dir)).isEmpty());
  }
}
