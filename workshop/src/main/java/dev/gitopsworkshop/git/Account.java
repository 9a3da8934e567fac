package dev.gitopsworkshop.git;

/** A Git server account: basic-auth user name and password. */
public record Account(String username, String password) {
  @Override
  public String toString() {
    return "Account[" + username + "]";
  }
}
