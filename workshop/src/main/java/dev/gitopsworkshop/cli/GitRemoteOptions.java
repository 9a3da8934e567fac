package dev.gitopsworkshop.cli;

import dev.gitopsworkshop.WorkshopException;
import dev.gitopsworkshop.git.GitRemote;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --git-remote} and its account, shared by {@code up} and {@code run}. The password or token
 * is asked for (not shown), or read from an environment variable or a file; it is never printed.
 */
public final class GitRemoteOptions {
  @Option(names = "--git-remote", paramLabel = "URL",
      description = "Use this repository instead of the lab's own Git server (GitHub, GitLab, Gitea, another lab's or "
          + "the instructor's Git; http or https): an empty one is filled with the workshop, a non-empty one must be "
          + "the workshop's. Flux, the checks and the solve actions all use it.")
  String url;

  @Option(names = "--git-username", paramLabel = "NAME", description = "With --git-remote: the account the lab and Flux use there.")
  String username;

  @Option(names = "--git-password", paramLabel = "PASSWORD", arity = "0..1", interactive = true,
      description = "With --git-remote: the account's password or token; without a value it is asked for, not shown.")
  char[] password;

  @Option(names = "--git-password-env", paramLabel = "VAR",
      description = "With --git-remote: read the password or token from this environment variable.")
  String passwordEnv;

  @Option(names = "--git-password-file", paramLabel = "FILE",
      description = "With --git-remote: read the password or token from this file (its first line).")
  Path passwordFile;

  /** The remote, or null without {@code --git-remote}; a usage error for what does not fit. */
  public GitRemote remote() {
    int sources = (password != null ? 1 : 0) + (passwordEnv != null ? 1 : 0) + (passwordFile != null ? 1 : 0);
    if (url == null) {
      if (username != null || sources > 0) {
        throw WorkshopException.usage("--git-username and the --git-password options are for --git-remote",
            "add --git-remote URL, or leave them out to use the lab's own Git server");
      }
      return null;
    }
    if (sources > 1) {
      throw WorkshopException.usage("give the password or token one way: --git-password, --git-password-env or --git-password-file",
          "keep one of them");
    }
    return GitRemote.of(url, username, secret());
  }

  private String secret() {
    if (password != null) {
      return new String(password);
    }
    if (passwordEnv != null) {
      String value = System.getenv(passwordEnv);
      if (value == null || value.isEmpty()) {
        throw WorkshopException.usage("the environment variable " + passwordEnv + " (--git-password-env) is not set or empty",
            "export it in this shell first, e.g. read -rs " + passwordEnv + " && export " + passwordEnv);
      }
      return value;
    }
    if (passwordFile != null) {
      try {
        String first = Files.readString(passwordFile, StandardCharsets.UTF_8).lines().findFirst().orElse("").strip();
        if (first.isEmpty()) {
          throw WorkshopException.usage(passwordFile + " (--git-password-file) is empty", "put the password or token on its first line");
        }
        return first;
      } catch (NoSuchFileException e) {
        throw WorkshopException.usage("there is no file " + passwordFile + " (--git-password-file)", "check the path");
      } catch (IOException e) {
        throw WorkshopException.usage("cannot read " + passwordFile + " (--git-password-file): " + e.getClass().getSimpleName(),
            "check the file's permissions");
      }
    }
    return null;
  }
}
