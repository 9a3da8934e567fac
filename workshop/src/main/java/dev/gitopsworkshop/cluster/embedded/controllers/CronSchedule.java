package dev.gitopsworkshop.cluster.embedded.controllers;

import java.time.Duration;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A CronJob's {@code schedule} as Kubernetes reads it (the standard five fields with names, ranges,
 * steps and lists; {@code @hourly} and the other descriptors; {@code @every 1h30m}), and the next
 * time it fires. Like cron, when both day of month and day of week are restricted, either matching
 * is enough.
 */
public final class CronSchedule {
  private static final Map<String, String> DESCRIPTORS = Map.of(
      "@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *", "@monthly", "0 0 1 * *", "@weekly", "0 0 * * 0",
      "@daily", "0 0 * * *", "@midnight", "0 0 * * *", "@hourly", "0 * * * *");
  private static final List<String> MONTHS = List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC");
  private static final List<String> DAYS = List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT");

  private final BitSet minutes;
  private final BitSet hours;
  private final BitSet daysOfMonth;
  private final BitSet months;
  private final BitSet daysOfWeek;
  private final boolean anyDayOfMonth;
  private final boolean anyDayOfWeek;
  private final Duration every;

  private CronSchedule(BitSet minutes, BitSet hours, BitSet daysOfMonth, BitSet months, BitSet daysOfWeek,
      boolean anyDayOfMonth, boolean anyDayOfWeek, Duration every) {
    this.minutes = minutes;
    this.hours = hours;
    this.daysOfMonth = daysOfMonth;
    this.months = months;
    this.daysOfWeek = daysOfWeek;
    this.anyDayOfMonth = anyDayOfMonth;
    this.anyDayOfWeek = anyDayOfWeek;
    this.every = every;
  }

  /** Parses a schedule; IllegalArgumentException with the reason when it is not one. */
  public static CronSchedule parse(String spec) {
    String s = spec.trim();
    if (s.startsWith("TZ=") || s.startsWith("CRON_TZ=")) {
      throw new IllegalArgumentException("cannot use TZ or CRON_TZ in schedule, use timeZone field instead");
    }
    if (s.startsWith("@every ")) {
      Duration d = goDuration(s.substring(7).trim());
      if (d.isZero() || d.isNegative()) {
        throw new IllegalArgumentException("failed to parse duration " + s + ": must be positive");
      }
      return new CronSchedule(null, null, null, null, null, true, true, d);
    }
    if (s.startsWith("@")) {
      String expanded = DESCRIPTORS.get(s.toLowerCase(Locale.ROOT));
      if (expanded == null) {
        throw new IllegalArgumentException("unrecognized descriptor: " + s);
      }
      s = expanded;
    }
    String[] f = s.split("\\s+");
    if (f.length != 5) {
      throw new IllegalArgumentException("expected exactly 5 fields, found " + f.length + ": " + spec);
    }
    return new CronSchedule(field(f[0], 0, 59, List.of()), field(f[1], 0, 23, List.of()), field(f[2], 1, 31, List.of()),
        field(f[3], 1, 12, MONTHS), field(f[4], 0, 7, DAYS), f[2].startsWith("*") || f[2].startsWith("?"),
        f[4].startsWith("*") || f[4].startsWith("?"), null);
  }

  /** The first time strictly after {@code after} (in its zone) at which the schedule fires. */
  ZonedDateTime next(ZonedDateTime after) {
    if (every != null) {
      return after.plus(every).truncatedTo(ChronoUnit.SECONDS);
    }
    ZonedDateTime t = after.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
    ZonedDateTime limit = t.plusYears(5);
    while (t.isBefore(limit)) {
      if (!months.get(t.getMonthValue())) {
        t = t.withDayOfMonth(1).truncatedTo(ChronoUnit.DAYS).plusMonths(1);
      } else if (!dayMatches(t)) {
        t = t.truncatedTo(ChronoUnit.DAYS).plusDays(1);
      } else if (!hours.get(t.getHour())) {
        t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
      } else if (!minutes.get(t.getMinute())) {
        t = t.plusMinutes(1);
      } else {
        return t;
      }
    }
    return null;
  }

  private boolean dayMatches(ZonedDateTime t) {
    boolean dom = daysOfMonth.get(t.getDayOfMonth());
    int weekday = t.getDayOfWeek().getValue() % 7;
    boolean dow = daysOfWeek.get(weekday) || (weekday == 0 && daysOfWeek.get(7));
    if (anyDayOfMonth || anyDayOfWeek) {
      return dom && dow;
    }
    return dom || dow;
  }

  private static BitSet field(String field, int min, int max, List<String> names) {
    BitSet bits = new BitSet(max + 1);
    for (String part : field.split(",")) {
      String range = part;
      int step = 1;
      if (part.contains("/")) {
        range = part.substring(0, part.indexOf('/'));
        step = number(part.substring(part.indexOf('/') + 1), 1, Integer.MAX_VALUE, List.of(), part);
      }
      int from;
      int to;
      if (range.equals("*") || range.equals("?")) {
        from = min;
        to = max;
      } else if (range.contains("-")) {
        from = number(range.substring(0, range.indexOf('-')), min, max, names, part);
        to = number(range.substring(range.indexOf('-') + 1), min, max, names, part);
        if (to < from) {
          throw new IllegalArgumentException("beginning of range (" + from + ") beyond end of range (" + to + "): " + part);
        }
      } else {
        from = number(range, min, max, names, part);
        to = part.contains("/") ? max : from;
      }
      for (int i = from; i <= to; i += step) {
        bits.set(i);
      }
    }
    return bits;
  }

  private static int number(String text, int min, int max, List<String> names, String part) {
    int named = names.indexOf(text.toUpperCase(Locale.ROOT));
    if (named >= 0) {
      return names == MONTHS ? named + 1 : named;
    }
    int n;
    try {
      n = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("failed to parse int from " + text + ": strconv.Atoi: parsing \"" + text + "\": invalid syntax");
    }
    if (n < min || n > max) {
      throw new IllegalArgumentException((n < min ? "beginning of range (" + n + ") below minimum (" + min + ")"
          : "end of range (" + n + ") above maximum (" + max + ")") + ": " + part);
    }
    return n;
  }

  /** A Go duration ("1h30m", "90s", "2h"). */
  private static Duration goDuration(String text) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)(h|ms|m|s)").matcher(text);
    Duration total = Duration.ZERO;
    int end = 0;
    while (m.find()) {
      if (m.start() != end) {
        break;
      }
      double v = Double.parseDouble(m.group(1));
      long unit = switch (m.group(2)) {
        case "h" -> 3_600_000;
        case "m" -> 60_000;
        case "s" -> 1000;
        default -> 1;
      };
      total = total.plusMillis((long) (v * unit));
      end = m.end();
    }
    if (end != text.length() || end == 0) {
      throw new IllegalArgumentException("failed to parse duration @every " + text + ": time: invalid duration \"" + text + "\"");
    }
    return total;
  }

  /** The zone a schedule is read in: its timeZone, else the controller manager's (UTC, as in k3s). */
  public static ZoneId zone(String timeZone) {
    return timeZone == null || timeZone.isEmpty() ? java.time.ZoneOffset.UTC : ZoneId.of(timeZone);
  }
}
