package dev.gitopsworkshop.cluster.embedded.schema;

import java.util.Locale;

/**
 * The {@code fieldValidation} directive of a write request, as kube-apiserver reads it: what to do
 * with unknown and duplicate fields. kubectl sends {@code Strict} by default ({@code --validate=strict});
 * a request without the parameter gets {@code Warn}.
 */
public enum FieldValidation {
  /** Refuse the request, naming every unknown and duplicate field. */
  STRICT,
  /** Drop unknown fields and answer with a warning for each. */
  WARN,
  /** Drop unknown fields silently. */
  IGNORE;

  /** The directive of a request's {@code fieldValidation} parameter ({@code null}: Warn). */
  public static FieldValidation of(String param) {
    if (param == null || param.isEmpty()) {
      return WARN;
    }
    return switch (param.toLowerCase(Locale.ROOT)) {
      case "strict" -> STRICT;
      case "warn" -> WARN;
      case "ignore" -> IGNORE;
      default -> throw new IllegalArgumentException(
          "fieldValidation must be one of \"Ignore\", \"Warn\" or \"Strict\", not \"" + param + "\"");
    };
  }
}
