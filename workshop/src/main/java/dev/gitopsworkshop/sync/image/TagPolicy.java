package dev.gitopsworkshop.sync.image;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * An ImagePolicy's choice among tags: {@code filterTags} (a regular expression the tag must match,
 * and {@code extract}, the part of it to order by, such as {@code $ts}), then one of {@code semver}
 * (the highest version in {@code range}), {@code alphabetical} or {@code numerical} ({@code order}
 * asc, the default, takes the last; desc the first).
 */
final class TagPolicy {
  /** A policy that cannot be used as written; the message says why, for the status. */
  static final class InvalidPolicy extends IllegalArgumentException {
    InvalidPolicy(String message) {
      super(message);
    }
  }

  private record Candidate(String tag, String key) {}

  private final Pattern pattern;
  private final String extract;
  private final String kind;
  private final SemverRange range;
  private final boolean descending;

  private TagPolicy(Pattern pattern, String extract, String kind, SemverRange range, boolean descending) {
    this.pattern = pattern;
    this.extract = extract;
    this.kind = kind;
    this.range = range;
    this.descending = descending;
  }

  /** Reads {@code spec.policy} and {@code spec.filterTags} of an ImagePolicy. */
  static TagPolicy from(JsonNode spec) {
    JsonNode policy = spec.path("policy");
    List<String> kinds = new ArrayList<>();
    policy.fieldNames().forEachRemaining(kinds::add);
    kinds.retainAll(List.of("semver", "alphabetical", "numerical"));
    if (kinds.size() != 1) {
      throw new InvalidPolicy(kinds.isEmpty()
          ? "spec.policy needs one of semver, alphabetical or numerical"
          : "spec.policy takes one of semver, alphabetical or numerical, not " + String.join(" and ", kinds));
    }
    String kind = kinds.get(0);
    SemverRange range = null;
    boolean descending = false;
    if (kind.equals("semver")) {
      try {
        range = SemverRange.parse(policy.at("/semver/range").asText(""));
      } catch (SemverRange.InvalidRange e) {
        throw new InvalidPolicy("invalid semver range: " + e.getMessage());
      }
    } else {
      String order = policy.path(kind).path("order").asText("asc");
      if (!order.equals("asc") && !order.equals("desc")) {
        throw new InvalidPolicy("spec.policy." + kind + ".order is asc or desc, not '" + order + "'");
      }
      descending = order.equals("desc");
    }
    Pattern pattern = null;
    String extract = null;
    JsonNode filter = spec.path("filterTags");
    if (filter.hasNonNull("pattern")) {
      String goPattern = filter.get("pattern").asText();
      try {
        pattern = Pattern.compile(goPattern.replace("(?P<", "(?<"));
      } catch (PatternSyntaxException e) {
        throw new InvalidPolicy("invalid regular expression pattern '" + goPattern + "': " + e.getDescription());
      }
      extract = filter.path("extract").asText("");
      // Go's $name is Java's ${name}; $1 and ${name} read the same in both
      extract = extract.replaceAll("\\$([A-Za-z_][A-Za-z0-9_]*)", "\\${$1}").replace("${0}", "$0");
      extract = extract.replaceAll("\\$\\{(\\d+)}", "\\$$1");
    }
    return new TagPolicy(pattern, extract, kind, range, descending);
  }

  /** The tag the policy selects among {@code tags}, if any matches. */
  Optional<String> latest(Collection<String> tags) {
    List<Candidate> candidates = new ArrayList<>();
    for (String tag : tags) {
      if (pattern == null) {
        candidates.add(new Candidate(tag, tag));
        continue;
      }
      Matcher m = pattern.matcher(tag);
      if (m.find()) {
        String key = tag;
        if (!extract.isEmpty()) {
          StringBuilder out = new StringBuilder();
          try {
            // as Go's Regexp.ExpandString: only the template, filled from this match
            m.appendReplacement(out, extract);
            key = out.substring(m.start());
          } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new InvalidPolicy("filterTags.extract '" + extract + "' names a group the pattern does not have");
          }
        }
        candidates.add(new Candidate(tag, key));
      }
    }
    return switch (kind) {
      case "semver" -> candidates.stream()
          .flatMap(c -> SemverVersion.parse(c.key()).filter(range::matches).map(v -> new Object[] {c, v}).stream())
          .max(Comparator.comparing((Object[] a) -> (SemverVersion) a[1]))
          .map(a -> ((Candidate) a[0]).tag());
      case "numerical" -> pick(candidates, Comparator.comparingDouble(c -> number(c.key())));
      default -> pick(candidates, Comparator.comparing(Candidate::key));
    };
  }

  private Optional<String> pick(List<Candidate> candidates, Comparator<Candidate> order) {
    return (descending ? candidates.stream().min(order) : candidates.stream().max(order)).map(Candidate::tag);
  }

  private static double number(String key) {
    try {
      return Double.parseDouble(key);
    } catch (NumberFormatException e) {
      throw new InvalidPolicy("tag value '" + key + "' is not a number: give the numerical policy a filterTags pattern"
          + " that keeps only numeric tags (or extracts the number)");
    }
  }

  /** The policy in words, for messages: {@code semver range '6.5.x'}. */
  String describe() {
    return switch (kind) {
      case "semver" -> "semver range '" + range + "'";
      default -> kind + " order " + (descending ? "desc" : "asc");
    } + (pattern == null ? "" : ", tags matching /" + pattern + "/");
  }
}
