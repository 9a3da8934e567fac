package dev.gitopsworkshop.git;

/**
 * A Git server account.
 *
 * @param repository the one repository a room account may use, or null for the lab's own
 *     accounts (participant and operator), which use {@code workshop.git}
 */
public record Account(String username, String password, String repository) {
  @Override
  public String toString() {
    return "Account[" + username + "]";
  }
}
