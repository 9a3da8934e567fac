package dev.gitopsworkshop.git;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code git} command in a sealed environment: its own HOME and XDG_CONFIG_HOME, no
 * terminal prompts, a fixed identity, and a time limit.
 */
public final class GitCli {
  /** What a git command printed (stdout and stderr together) and how it exited. */
  public record Result(int exitCode, String output) {
    public Result assertOk() {
      if (exitCode != 0) {
        throw new AssertionError("git failed (" + exitCode + "):\n" + output);
      }
      return this;
    }
  }

  private final Path home;

  public GitCli(Path home) throws IOException {
    this.home = Files.createDirectories(home);
  }

  public Path home() {
    return home;
  }

  /** Runs {@code git ARGS} in {@code dir}. */
  public Result run(Path dir, String... args) throws IOException, InterruptedException {
    Process process = start(dir, args);
    boolean done = process.waitFor(120, TimeUnit.SECONDS);
    if (!done) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      throw new AssertionError("git " + String.join(" ", args) + " did not finish in 120 s");
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(process.exitValue(), output);
  }

  /** Starts {@code git ARGS} in {@code dir} without waiting (output merged, readable). */
  public Process start(Path dir, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add("git");
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    environment(builder.environment(), home);
    return builder.start();
  }

  /** Seals a process's environment: HOME and XDG_CONFIG_HOME in {@code home}, no prompts. */
  public static void environment(Map<String, String> env, Path home) {
    env.put("HOME", home.toString());
    env.put("XDG_CONFIG_HOME", home.resolve(".config").toString());
    env.put("GIT_TERMINAL_PROMPT", "0");
    env.put("GIT_CONFIG_NOSYSTEM", "1");
    env.put("GIT_AUTHOR_NAME", "Test Participant");
    env.put("GIT_AUTHOR_EMAIL", "participant@example.org");
    env.put("GIT_COMMITTER_NAME", "Test Participant");
    env.put("GIT_COMMITTER_EMAIL", "participant@example.org");
    env.remove("GIT_ASKPASS");
    env.remove("SSH_ASKPASS");
  }

  /** {@code http://user:password@host:port/path} from a plain URL. */
  public static String withCredentials(String url, String user, String password) {
    int scheme = url.indexOf("://") + 3;
    return url.substring(0, scheme) + user + ":" + password + "@" + url.substring(scheme);
  }
}
