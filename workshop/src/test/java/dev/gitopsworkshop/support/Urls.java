package dev.gitopsworkshop.support;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** URLs with credentials in them, as a participant pastes them into git. */
public final class Urls {
  private Urls() {}

  public static String withCredentials(String url, String username, String password) {
    return url.replaceFirst(
        "^http://",
        "http://" + URLEncoder.encode(username, StandardCharsets.UTF_8) + ":"
            + URLEncoder.encode(password, StandardCharsets.UTF_8) + "@");
  }
}
