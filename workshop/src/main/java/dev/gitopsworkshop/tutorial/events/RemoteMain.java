package dev.gitopsworkshop.tutorial.events;

import dev.gitopsworkshop.tutorial.TutorialContext;
import java.util.function.BooleanSupplier;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Ref;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The main branch of a Git host that sends no push events, looked at with {@code git ls-remote}. */
final class RemoteMain {
  static final long POLL_MILLIS = 2000;
  private static final Logger LOG = LoggerFactory.getLogger(RemoteMain.class);
  private final TutorialContext context;

  RemoteMain(TutorialContext context) {
    this.context = context;
  }

  /** Calls {@code moved} each time main points elsewhere than at the last look, while {@code running}. */
  void follow(Runnable moved, BooleanSupplier running) {
    String seen = null;
    boolean failing = false;
    while (running.getAsBoolean()) {
      try {
        Ref main = Git.lsRemoteRepository().setRemote(context.lab().gitUrl()).setCredentialsProvider(context.gitCredentials())
            .setHeads(true).setTimeout(10).callAsMap().get("refs/heads/main");
        String now = main == null ? "" : main.getObjectId().name();
        if (seen != null && !seen.equals(now)) {
          moved.run();
        }
        seen = now;
        failing = false;
      } catch (Exception e) {
        if (!failing) {
          LOG.info("cannot look at main on {} (the runner looks again in a moment): {}", context.lab().gitUrl(), e.toString());
          failing = true;
        }
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }
}
