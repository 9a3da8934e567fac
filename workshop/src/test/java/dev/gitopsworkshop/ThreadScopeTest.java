package dev.gitopsworkshop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ThreadScopeTest {
  private final ThreadScope<List<String>> scope = new ThreadScope<>();

  @Test
  void workInTheScopeSeesItsValue_nestedWorkJoinsIt_andOutsideThereIsNone() {
    assertNull(scope.current());
    List<String> seen = scope.run(ArrayList::new, () -> {
      scope.current().add("outer");
      scope.run(ArrayList::new, () -> scope.current().add("inner"));
      return scope.current();
    });
    assertEquals(List.of("outer", "inner"), seen, "the inner run joined the outer one's value");
    assertNull(scope.current(), "gone once the work is done");
  }

  @Test
  void anotherThreadHasItsOwn() {
    scope.run(ArrayList::new, () -> {
      List<String> mine = scope.current();
      List<String> theirs = CompletableFuture.supplyAsync(() -> scope.run(ArrayList::new, scope::current)).join();
      assertSame(mine, scope.current());
      assertNotSame(mine, theirs);
      return null;
    });
  }

  @Test
  void theValueIsGoneAfterWorkThatThrew() {
    try {
      scope.run(ArrayList::new, () -> {
        throw new IllegalStateException("failed");
      });
    } catch (IllegalStateException expected) {
      // the work's failure is the caller's
    }
    assertNull(scope.current(), "the next work on this thread opens a scope of its own");
  }
}
