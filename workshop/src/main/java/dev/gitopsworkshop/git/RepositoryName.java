package dev.gitopsworkshop.git;

import dev.gitopsworkshop.WorkshopException;
import java.util.Set;
import java.util.regex.Pattern;

/** The names the server accepts: repositories {@code NAME.git}, room accounts {@code NAME}. */
public final class RepositoryName {
  /** The workshop repository every lab has. */
  public static final String WORKSHOP = "workshop.git";

  private static final Pattern REPOSITORY = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*\\.git");
  private static final Pattern ACCOUNT = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,62}");
  private static final Set<String> RESERVED =
      Set.of(AccountStore.PARTICIPANT, AccountStore.OPERATOR, "workshop");

  private RepositoryName() {}

  /** Whether a requested repository name is well formed (no path, no {@code ..}). */
  public static boolean isValid(String name) {
    return name != null && REPOSITORY.matcher(name).matches() && !name.contains("..");
  }

  /** Checks a room participant's name; one line saying what is allowed otherwise. */
  public static String checkAccount(String name) {
    if (name == null || !ACCOUNT.matcher(name).matches() || name.contains("..")
        || name.endsWith(".git")) {
      throw WorkshopException.usage(
          "'" + name + "' cannot be a participant name",
          "use letters, digits, '.', '_' and '-' (up to 63, not starting with '.', no '.git')");
    }
    if (RESERVED.contains(name)) {
      throw WorkshopException.usage(
          "'" + name + "' is reserved for the workshop's own accounts",
          "choose another participant name");
    }
    return name;
  }
}
