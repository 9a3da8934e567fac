package dev.gitopsworkshop.sync;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import org.junit.jupiter.api.Test;

/**
 * HttpStatuses and JGit's Transport initialized at the same moment on two threads, as a lab's
 * source-controller (its first fetch) and the runner (its first pull) do: each round in a class
 * loader of its own, so that both classes are new. Both must finish; a lock-order inversion
 * between the two initializers hung a rerun for good.
 *
 * <p>A fresh loader's Logback installs its own bridge as java.util.logging's root handler (JUL is
 * one per JVM); the handlers of before are put back, or every later JUL line in this JVM would go
 * to classes of a closed loader (NoClassDefFoundError in the test run's own logging).
 */
class HttpStatusesInitTest {
  private static final int ROUNDS = 8;

  @Test
  void initializesBesideAFirstFetchWithoutADeadlock() throws Exception {
    List<URL> urls = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      urls.add(Path.of(entry).toUri().toURL());
    }
    java.util.logging.Logger julRoot = LogManager.getLogManager().getLogger("");
    Handler[] handlers = julRoot.getHandlers();
    try {
      rounds(urls);
    } finally {
      for (Handler h : julRoot.getHandlers()) {
        julRoot.removeHandler(h);
      }
      for (Handler h : handlers) {
        julRoot.addHandler(h);
      }
    }
  }

  private static void rounds(List<URL> urls) throws Exception {
    for (int round = 0; round < ROUNDS; round++) {
      try (URLClassLoader fresh = new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
        CountDownLatch go = new CountDownLatch(1);
        Thread statuses = initializer(fresh, go, HttpStatuses.class.getName());
        Thread transport = initializer(fresh, go, "org.eclipse.jgit.transport.Transport");
        go.countDown();
        statuses.join(10_000);
        transport.join(10_000);
        assertFalse(statuses.isAlive() || transport.isAlive(), "round " + round + ": the two initializers wait for each other");
      }
    }
  }

  private static Thread initializer(ClassLoader loader, CountDownLatch go, String name) {
    Thread t = new Thread(() -> {
      try {
        go.await();
        Class.forName(name, true, loader);
      } catch (ReflectiveOperationException | InterruptedException e) {
        throw new IllegalStateException(e);
      }
    }, "init " + name);
    t.setDaemon(true);
    t.start();
    return t;
  }
}
