package dev.gitopsworkshop.git;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitopsworkshop.WorkshopException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RepositoryNamesTest {
  @ParameterizedTest
  @ValueSource(strings = {"workshop.git", "alice.git", "team_1.git", "a-b.c.git"})
  void acceptsPlainRepositoryNames(String name) {
    assertTrue(RepositoryNames.isValidRepository(name));
  }

  @ParameterizedTest
  @ValueSource(strings = {"..git", "../workshop.git", "a/b.git", ".git", "workshop", "a..b.git", "a b.git", "", "%2e.git", ".hidden.git"})
  void refusesPathsAndOddRepositoryNames(String name) {
    assertFalse(RepositoryNames.isValidRepository(name));
  }

  @ParameterizedTest
  @ValueSource(strings = {"alice", "bob-2", "team_3"})
  void acceptsParticipantNames(String name) {
    assertDoesNotThrow(() -> RepositoryNames.requireValidAccount(name));
  }

  @ParameterizedTest
  @ValueSource(strings = {"participant", "flux", "workshop", "../x", "a/b", ".hidden", "bob.git", "", "-x"})
  void refusesReservedOrMalformedParticipantNamesWithAHint(String name) {
    WorkshopException error =
        assertThrows(WorkshopException.class, () -> RepositoryNames.requireValidAccount(name));
    assertEquals(WorkshopException.USAGE, error.exitCode());
    assertTrue(error.getMessage().contains("'" + name + "'"), error.getMessage());
    assertTrue(error.hint() != null && !error.hint().isBlank());
  }
}
