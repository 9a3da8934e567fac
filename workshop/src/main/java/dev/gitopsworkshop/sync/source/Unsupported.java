package dev.gitopsworkshop.sync.source;

/**
 * The one wording of a refusal: a field the embedded operator does not honour makes the object
 * Ready=False with reason {@value #REASON}, naming the field, saying why, and pointing to real Flux.
 */
public final class Unsupported {
  public static final String REASON = "UnsupportedField";

  private Unsupported() {}

  /** Why an object cannot be served: the Ready condition's reason and message. */
  public record Refusal(String reason, String message) {
    /** A field the embedded operator does not honour. */
    public static Refusal of(String field, String why) {
      return new Refusal(REASON, Unsupported.message(field, why));
    }
  }

  /** {@code <field> is not supported by the embedded operator (<why>); remove it, or ...}. */
  public static String message(String field, String why) {
    return field + " is not supported by the embedded operator (" + why + "); remove it, or run the lab with"
        + " --cluster k3s for real Flux";
  }
}
