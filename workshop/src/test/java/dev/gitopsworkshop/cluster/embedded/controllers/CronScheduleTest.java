package dev.gitopsworkshop.cluster.embedded.controllers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class CronScheduleTest {
  private static final ZonedDateTime MONDAY_NOON = ZonedDateTime.of(2024, 1, 1, 12, 0, 30, 0, ZoneOffset.UTC);

  private static String next(String schedule, ZonedDateTime after) {
    return CronSchedule.parse(schedule).next(after).toString();
  }

  @Test
  void readsFieldsRangesStepsListsAndNames() {
    assertEquals("2024-01-01T12:01Z", next("* * * * *", MONDAY_NOON));
    assertEquals("2024-01-01T12:15Z", next("*/15 * * * *", MONDAY_NOON));
    assertEquals("2024-01-01T13:05Z", next("5 13-14 * * *", MONDAY_NOON));
    assertEquals("2024-01-03T00:00Z", next("0 0 * * WED,fri", MONDAY_NOON));
    assertEquals("2024-03-01T00:00Z", next("0 0 1 MAR *", MONDAY_NOON));
    assertEquals("2024-01-07T00:00Z", next("@weekly", MONDAY_NOON));
    assertEquals("2024-01-01T13:00Z", next("@hourly", MONDAY_NOON));
    assertEquals("2024-01-01T12:01:30Z", next("@every 1m", MONDAY_NOON));
  }

  @Test
  void eitherDayFieldMatchesWhenBothAreRestricted() {
    // the 15th or any Friday: Friday the 5th comes first
    assertEquals("2024-01-05T00:00Z", next("0 0 15 * 5", MONDAY_NOON));
    assertEquals("2024-01-15T00:00Z", next("0 0 15 * *", MONDAY_NOON));
  }

  @Test
  void refusesWhatKubernetesRefuses() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> CronSchedule.parse("* * *")).getMessage()
        .startsWith("expected exactly 5 fields, found 3"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> CronSchedule.parse("61 * * * *")).getMessage()
        .startsWith("end of range (61) above maximum (59)"));
    assertThrows(IllegalArgumentException.class, () -> CronSchedule.parse("TZ=UTC * * * * *"));
    assertThrows(IllegalArgumentException.class, () -> CronSchedule.parse("@fortnightly"));
    assertThrows(IllegalArgumentException.class, () -> CronSchedule.parse("x * * * *"));
  }
}
