package dev.gitopsworkshop.tutorial.actions;

import dev.gitopsworkshop.tutorial.TutorialContext;
import dev.gitopsworkshop.tutorial.model.Action;
import java.time.Duration;

/** {@code wait}: a pause a participant would take (to show an interval at work, say). */
public record Wait(Duration duration) implements Action {
  @Override
  public void run(TutorialContext c) throws InterruptedException {
    Thread.sleep(duration.toMillis());
  }

  @Override
  public String describe() {
    return "wait " + duration.toSeconds() + "s";
  }
}
