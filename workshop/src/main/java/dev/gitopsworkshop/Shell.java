package dev.gitopsworkshop;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Words of the commands the tool prints for people to paste into a POSIX shell: a word with
 * anything a shell would split or expand (a space in {@code ~/my labs}, a {@code $}, a quote) is
 * single-quoted; a plain one is left as it is, so that the usual case reads as typed.
 */
public final class Shell {
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:=@%+,-]+");

  private Shell() {}

  /** {@code word} as one shell word: itself when plain, else in single quotes. */
  public static String quote(String word) {
    if (!word.isEmpty() && PLAIN.matcher(word).matches()) {
      return word;
    }
    return "'" + word.replace("'", "'\\''") + "'";
  }

  public static String quote(Path path) {
    return quote(path.toString());
  }
}
