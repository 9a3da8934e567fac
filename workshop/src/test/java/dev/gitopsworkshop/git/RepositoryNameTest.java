package dev.gitopsworkshop.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitopsworkshop.WorkshopException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RepositoryNameTest {
  @ParameterizedTest
  @ValueSource(strings = {"workshop.git", "alice.git", "team_1.git", "a-b.c.git"})
  void acceptsPlainRepositoryNames(String name) {
    assertTrue(RepositoryName.isValid(name));
  }

  @ParameterizedTest
  @ValueSource(strings = {"..git", "../workshop.git", "a/b.git", ".git", "workshop", "a..b.git", "a b.git", "", "%2e.git"})
  void refusesPathsAndOddNames(String name) {
    assertFalse(RepositoryName.isValid(name));
  }

  @ParameterizedTest
  @ValueSource(strings = {"participant", "flux", "workshop", "../x", "a/b", ".hidden", "bob.git", ""})
  void refusesReservedOrMalformedParticipantNames(String name) {
    WorkshopException error =
        assertThrows(WorkshopException.class, () -> RepositoryName.checkAccount(name));
    assertEquals(WorkshopException.USAGE, error.exitCode());
    assertTrue(error.hint() != null && !error.hint().isBlank());
  }

  @Test
  void acceptsParticipantNames() {
    assertEquals("alice-2", RepositoryName.checkAccount("alice-2"));
  }
}
