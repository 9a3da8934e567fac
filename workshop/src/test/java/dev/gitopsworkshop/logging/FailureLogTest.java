package dev.gitopsworkshop.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A controller that fails the same way every few seconds writes one line, not one a retry. */
class FailureLogTest {
  private final Logger logger = (Logger) LoggerFactory.getLogger("FailureLogTest");
  private final ListAppender<ILoggingEvent> seen = new ListAppender<>();
  private final FailureLog failures = new FailureLog(logger);

  @BeforeEach
  void listen() {
    seen.start();
    logger.addAppender(seen);
  }

  @AfterEach
  void stop() {
    logger.detachAppender(seen);
  }

  private List<String> lines() {
    return seen.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
  }

  @Test
  void theSameFailureIsLoggedOnceAnotherOneAgainAndTheRecoveryOnce() {
    for (int i = 0; i < 5; i++) {
      failures.failed("flux-system/apps", "Kustomization flux-system/apps: BuildFailed: deploy/a.yaml: bad", null);
    }
    failures.failed("flux-system/apps", "Kustomization flux-system/apps: BuildFailed: deploy/b.yaml: bad", null);
    failures.failed("flux-system/other", "Kustomization flux-system/other: BuildFailed: deploy/a.yaml: bad", null);
    failures.succeeded("flux-system/apps");
    failures.succeeded("flux-system/apps");
    assertEquals(List.of(
        "WARN Kustomization flux-system/apps: BuildFailed: deploy/a.yaml: bad",
        "WARN Kustomization flux-system/apps: BuildFailed: deploy/b.yaml: bad",
        "WARN Kustomization flux-system/other: BuildFailed: deploy/a.yaml: bad",
        "INFO flux-system/apps recovered (it had failed: Kustomization flux-system/apps: BuildFailed: deploy/b.yaml: bad)"), lines());
  }

  @Test
  void anUnexpectedExceptionIsLoggedWithItsStackTrace() {
    IllegalStateException boom = new IllegalStateException("boom");
    failures.failed("default/web", "reconcile of default/web failed", boom);
    failures.failed("default/web", "reconcile of default/web failed", boom);
    assertEquals(1, seen.list.size());
    assertEquals("boom", seen.list.get(0).getThrowableProxy().getMessage());
  }
}
