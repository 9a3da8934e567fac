package dev.gitopsworkshop.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.net.http.HttpClient;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class NativeWaitersTest {
  private static Set<Thread> selectors() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().matches("HttpClient-\\d+-SelectorManager")).collect(Collectors.toSet());
  }

  @Test
  void anHttpClientsSelectorThreadIsEndedBeforeTheJvmExits() {
    Set<Thread> others = selectors(); // other tests' clients in this JVM are left alone
    HttpClient client = HttpClient.newHttpClient(); // fabric8's clients are these underneath
    Set<Thread> mine = selectors();
    mine.removeAll(others);
    assertEquals(1, mine.size(), "a JDK HTTP client starts a selector thread that waits in epoll");
    assertEquals(1, NativeWaiters.endHttpSelectors(t -> !others.contains(t)));
    assertFalse(mine.iterator().next().isAlive(), "no selector thread keeps the exit waiting");
    assertNotNull(client.version()); // still reachable until here: ended by the interrupt, not collected
  }
}
