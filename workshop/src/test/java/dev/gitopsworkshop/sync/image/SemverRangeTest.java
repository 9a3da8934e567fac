package dev.gitopsworkshop.sync.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SemverRangeTest {
  private static boolean in(String range, String version) {
    return SemverRange.parse(range).matches(SemverVersion.parse(version).orElseThrow());
  }

  @Test
  void wildcardsAndBarePrefixesSpanTheirComponent() {
    assertTrue(in("6.5.x", "6.5.0"));
    assertTrue(in("6.5.x", "6.5.4"));
    assertFalse(in("6.5.x", "6.6.0"));
    assertFalse(in("6.5.x", "6.4.9"));
    assertTrue(in("6.5", "6.5.3"));
    assertTrue(in("6", "6.14.1"));
    assertFalse(in("6", "7.0.0"));
    assertTrue(in("*", "0.0.1"));
    assertTrue(in("6.*", "6.9.0"));
  }

  @Test
  void comparisonsCombineWithSpacesOrCommasAndAlternativesWithBars() {
    assertTrue(in(">=6.5.0 <6.6.0", "6.5.4"));
    assertFalse(in(">=6.5.0 <6.6.0", "6.6.0"));
    assertTrue(in(">= 6.5.0, < 6.6.0", "6.5.1"));
    assertTrue(in("<6.0.0 || >=6.9.0", "6.9.2"));
    assertFalse(in("<6.0.0 || >=6.9.0", "6.5.0"));
    assertTrue(in("!=6.5.2", "6.5.3"));
    assertFalse(in("!=6.5.2", "6.5.2"));
    assertTrue(in(">6.5.x", "6.6.0"));
    assertFalse(in(">6.5.x", "6.5.9"));
    assertTrue(in("<=6.5.x", "6.5.9"));
    assertTrue(in("6.1 - 6.5.2", "6.3.0"));
    assertFalse(in("6.1 - 6.5.2", "6.5.3"));
  }

  @Test
  void tildeAndCaretFollowSemverConventions() {
    assertTrue(in("~6.5.1", "6.5.4"));
    assertFalse(in("~6.5.1", "6.6.0"));
    assertTrue(in("~6", "6.9.0"));
    assertTrue(in("^6.5.0", "6.14.1"));
    assertFalse(in("^6.5.0", "7.0.0"));
    assertTrue(in("^0.2.3", "0.2.9"));
    assertFalse(in("^0.2.3", "0.3.0"));
    assertFalse(in("^0.0.3", "0.0.4"));
  }

  @Test
  void preReleasesOnlyWhenTheRangeNamesOne() {
    assertFalse(in("6.5.x", "6.5.5-rc.1"));
    assertTrue(in(">=6.5.5-rc.0 <6.6.0", "6.5.5-rc.1"));
    assertTrue(SemverVersion.parse("6.5.5-rc.2").orElseThrow().compareTo(SemverVersion.parse("6.5.5-rc.10").orElseThrow()) < 0);
    assertTrue(SemverVersion.parse("6.5.5-rc.1").orElseThrow().compareTo(SemverVersion.parse("6.5.5").orElseThrow()) < 0);
  }

  @Test
  void versionsAreReadLeniently() {
    assertEquals("6.5.0", SemverVersion.parse("v6.5").orElseThrow().toString());
    assertTrue(SemverVersion.parse("latest").isEmpty());
    assertTrue(SemverVersion.parse("6.5.0.1").isEmpty());
  }

  @Test
  void anInvalidRangeSaysWhichPart() {
    for (String bad : List.of("6.5.y", ">>6.5", "", "6.5.x ||", "latest")) {
      SemverRange.InvalidRange e = assertThrows(SemverRange.InvalidRange.class, () -> SemverRange.parse(bad), bad);
      assertTrue(e.getMessage().contains("improper constraint") || e.getMessage().contains("empty"), e.getMessage());
    }
  }
}
