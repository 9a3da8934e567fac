package dev.gitopsworkshop.git;

import dev.gitopsworkshop.WorkshopException;
import java.util.regex.Pattern;

/** What a repository or room account may be called: plain names, never a path. */
public final class RepositoryNames {
  private static final Pattern REPOSITORY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}\\.git");
  private static final Pattern ACCOUNT = Pattern.compile("[a-z0-9][a-z0-9_-]{0,62}");

  private RepositoryNames() {}

  public static boolean isValidRepository(String name) {
    return name != null && REPOSITORY.matcher(name).matches() && !name.contains("..");
  }

  public static void requireValidAccount(String name) {
    if (name == null || !ACCOUNT.matcher(name).matches()
        || name.equals(GitCredentials.PARTICIPANT) || name.equals(GitCredentials.OPERATOR)
        || name.equals("workshop")) {
      throw WorkshopException.usage(
          "'" + name + "' cannot be a participant's name",
          "use lower-case letters, digits, '-' or '_' (not 'participant', 'flux' or 'workshop')");
    }
  }
}
