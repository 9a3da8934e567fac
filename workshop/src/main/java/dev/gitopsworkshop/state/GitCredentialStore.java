package dev.gitopsworkshop.state;

import dev.gitopsworkshop.Shell;
import dev.gitopsworkshop.WorkshopException;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * {@code <data-dir>/git-credentials}: the participant's Git password for the git command line, in
 * the format of git's own {@code credential-store} helper, readable only by the user (mode 0600).
 * Clones made by the lab, and the clone command it prints, name this file as their credential
 * helper, so that no password sits in a clone's {@code .git/config} or in a remote URL, and pushes
 * by hand still ask for nothing.
 */
public final class GitCredentialStore {
  public static final String FILE = "git-credentials";

  private GitCredentialStore() {}

  public static Path file(DataDir dir) {
    return dir.resolve(FILE);
  }

  /** Writes the one account git should use for the server at {@code url} (its scheme, host and port). */
  public static void write(DataDir dir, String url, String username, String password) throws IOException {
    URI uri = URI.create(url);
    String line = uri.getScheme() + "://" + encode(username) + ":" + encode(password) + "@" + uri.getRawAuthority() + "\n";
    DataDir.writeAtomically(file(dir), line, true);
  }

  /**
   * The value of git's {@code credential.helper} that reads this file (git runs it through the
   * shell, so a path with a space is quoted: in double quotes when that is enough, which reads
   * better once the whole setting is single-quoted on a command line).
   */
  public static String helper(DataDir dir) {
    String path = file(dir).toString();
    String word = Shell.quote(path);
    if (!word.equals(path) && path.matches("[^\"$`\\\\'!]*")) {
      word = "\"" + path + "\"";
    }
    return "store --file=" + word;
  }

  /**
   * The {@code credential.helper} settings a clone gets: an empty one first, which drops any helper
   * of the user's own configuration (a keychain, a credential manager's window) for this clone,
   * then this file.
   */
  public static List<String> helpers(DataDir dir) {
    return List.of("", helper(dir));
  }

  /** {@code git clone} of {@code url} into {@code target}, with this store as the clone's credential helper, for pasting. */
  public static String cloneCommand(DataDir dir, String url, String target) {
    StringBuilder command = new StringBuilder("git clone");
    for (String helper : helpers(dir)) {
      command.append(" -c ").append(Shell.quote("credential.helper=" + helper));
    }
    return command.append(' ').append(Shell.quote(url)).append(' ').append(Shell.quote(target)).toString();
  }

  /**
   * The password the store keeps for {@code username} at the server of {@code url} (its scheme,
   * host and port), as git's credential store would give it; empty without one.
   */
  public static Optional<String> password(DataDir dir, String url, String username) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file(dir), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new WorkshopException("cannot read " + file(dir) + ": " + e.getMessage(), "check the data dir's permissions", e);
    }
    URI wanted = URI.create(url);
    for (String line : lines) {
      URI stored;
      try {
        stored = URI.create(line.strip());
      } catch (IllegalArgumentException e) {
        LoggerFactory.getLogger(GitCredentialStore.class).debug("{}: a line that is not a URL is passed over ({})", file(dir), e.getMessage());
        continue;
      }
      String userInfo = stored.getRawUserInfo();
      if (userInfo == null || !userInfo.contains(":") || !wanted.getScheme().equalsIgnoreCase(String.valueOf(stored.getScheme()))
          || !String.valueOf(wanted.getHost()).equalsIgnoreCase(String.valueOf(stored.getHost())) || wanted.getPort() != stored.getPort()) {
        continue;
      }
      int colon = userInfo.indexOf(':');
      if (decode(userInfo.substring(0, colon)).equals(username)) {
        return Optional.of(decode(userInfo.substring(colon + 1)));
      }
    }
    return Optional.empty();
  }

  private static String decode(String text) {
    return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** Percent-encoding of a URL's user information, as git's credential store reads it back. */
  private static String encode(String text) {
    StringBuilder out = new StringBuilder();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
        out.append(c);
      } else {
        out.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return out.toString();
  }
}
