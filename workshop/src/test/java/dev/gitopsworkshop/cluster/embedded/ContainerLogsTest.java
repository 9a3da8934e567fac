package dev.gitopsworkshop.cluster.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ContainerLogsTest {
  private final ContainerLogs logs = new ContainerLogs();

  private static List<String> texts(List<ContainerLogs.Line> lines) {
    return lines.stream().map(ContainerLogs.Line::text).toList();
  }

  @Test
  void keepsTheRunBeforeARestartAsThePreviousOne() {
    ContainerLog first = logs.start("uid", "app");
    first.write("one");
    first.write("two\nthree");
    assertEquals(List.of("one", "two", "three"), texts(logs.current("uid", "app").orElseThrow().lines()));
    ContainerLog second = logs.start("uid", "app");
    second.write("again");
    first.write("too late: that run ended");
    assertEquals(List.of("again"), texts(logs.current("uid", "app").orElseThrow().lines()));
    assertEquals(List.of("one", "two", "three"), texts(logs.previous("uid", "app").orElseThrow().lines()));
    assertTrue(logs.previous("uid", "app").orElseThrow().ended());
    logs.forget("uid", List.of("app"));
    assertTrue(logs.current("uid", "app").isEmpty());
  }

  @Test
  void dropsTheOldestLinesPastTheBound() {
    ContainerLog log = logs.start("uid", "chatty");
    String line = "x".repeat(1000);
    for (int i = 0; i < 1000; i++) {
      log.write(i + line);
    }
    List<ContainerLogs.Line> kept = logs.current("uid", "chatty").orElseThrow().lines();
    long chars = kept.stream().mapToLong(l -> l.text().length() + 1).sum();
    assertTrue(chars <= ContainerLogs.MAX_CHARS, "kept " + chars);
    assertTrue(kept.get(kept.size() - 1).text().startsWith("999x"));
    assertTrue(kept.size() < 1000 && kept.size() > 200, "kept " + kept.size());
  }

  @Test
  void aFollowerGetsNewLinesAndSeesTheEnd() throws Exception {
    ContainerLog log = logs.start("uid", "app");
    log.write("before");
    ContainerLogs.Run run = logs.current("uid", "app").orElseThrow();
    long seq = run.lines().get(0).seq();
    CompletableFuture<List<ContainerLogs.Line>> next = CompletableFuture.supplyAsync(() -> {
      try {
        return run.after(seq, 10_000);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    log.write("after");
    assertEquals(List.of("after"), texts(next.get(10, TimeUnit.SECONDS)));
    logs.end("uid", "app");
    assertTrue(run.after(run.lines().get(1).seq(), 10_000).isEmpty());
    assertTrue(run.ended());
  }
}
