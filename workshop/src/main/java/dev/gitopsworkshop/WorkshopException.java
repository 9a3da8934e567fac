package dev.gitopsworkshop;

/**
 * A failure the user can act on: {@link #getMessage()} says what went wrong, {@link #hint()} what to
 * do about it. The command line prints both on one or two lines and exits with {@link #exitCode()}.
 */
public class WorkshopException extends RuntimeException {
  /** Exit code for a failure of the lab or of what it talks to (the default). */
  public static final int FAILURE = 1;
  /** Exit code for bad input on the command line or in a file the user wrote. */
  public static final int USAGE = 2;

  private final String hint;
  private final int exitCode;

  public WorkshopException(String message, String hint) {
    this(message, hint, FAILURE, null);
  }

  public WorkshopException(String message, String hint, Throwable cause) {
    this(message, hint, FAILURE, cause);
  }

  public WorkshopException(String message, String hint, int exitCode, Throwable cause) {
    super(message, cause);
    this.hint = hint;
    this.exitCode = exitCode;
  }

  public static WorkshopException usage(String message, String hint) {
    return new WorkshopException(message, hint, USAGE, null);
  }

  /** What the user can do about it, or null. */
  public String hint() {
    return hint;
  }

  public int exitCode() {
    return exitCode;
  }
}
