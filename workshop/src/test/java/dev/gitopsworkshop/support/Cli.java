package dev.gitopsworkshop.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs the real command-line clients (git, kubectl) and the packaged tool as processes, with an
 * isolated HOME so that nothing of the user's own configuration leaks in, and no prompts.
 */
public final class Cli {
  private final Path home;
  private final Path workDir;

  public Cli(Path home, Path workDir) {
    this.home = home;
    this.workDir = workDir;
  }

  /** What a finished process printed. */
  public record Result(int exitCode, String out, String err) {
    public Result ok() {
      if (exitCode != 0) {
        throw new AssertionError("exit " + exitCode + "\nstdout:\n" + out + "\nstderr:\n" + err);
      }
      return this;
    }

    @Override
    public String toString() {
      return "exit " + exitCode + "\nstdout:\n" + out + "\nstderr:\n" + err;
    }
  }

  public Result run(Path dir, String... command) {
    return run(dir, Map.of(), command);
  }

  public Result run(Path dir, Map<String, String> env, String... command) {
    return runWithInput(dir, env, null, command);
  }

  /**
   * Runs a command to its end (at most two minutes, then it is killed and the test fails), with
   * {@code stdin} as its input (none when null) and its output read from files, so that a child
   * that writes much to one stream can never block on it.
   */
  public Result runWithInput(Path dir, Map<String, String> env, String stdin, String... command) {
    try (Background p = startWithInput(dir, env, stdin, command)) {
      return p.waitFor(Duration.ofSeconds(120));
    } catch (IOException e) {
      throw new AssertionError("cannot run " + String.join(" ", command), e);
    }
  }

  /** Starts a process in the background, its stdout and stderr going to files under HOME. */
  public Background start(Path dir, Map<String, String> env, String... command) throws IOException {
    return startWithInput(dir, env, null, command);
  }

  /** Starts a process in the background reading {@code stdin} (none when null). */
  public Background startWithInput(Path dir, Map<String, String> env, String stdin, String... command) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).directory((dir == null ? workDir : dir).toFile());
    Map<String, String> e = pb.environment();
    e.put("HOME", home.toString());
    e.put("XDG_CONFIG_HOME", home.resolve(".config").toString());
    e.put("GIT_TERMINAL_PROMPT", "0");
    e.put("GIT_CONFIG_NOSYSTEM", "1");
    e.put("GIT_AUTHOR_NAME", "Participant");
    e.put("GIT_AUTHOR_EMAIL", "participant@example.com");
    e.put("GIT_COMMITTER_NAME", "Participant");
    e.put("GIT_COMMITTER_EMAIL", "participant@example.com");
    e.putAll(env);
    return startIn(pb, home, stdin);
  }

  /**
   * Starts {@code pb} with its output going to files in {@code dir} and its input read from
   * {@code stdin} (none when null): the one way tests start a process.
   */
  public static Background startIn(ProcessBuilder pb, Path dir, String stdin) throws IOException {
    Files.createDirectories(dir);
    Path out = Files.createTempFile(dir, "out", ".txt");
    Path err = Files.createTempFile(dir, "err", ".txt");
    Path in = Files.createTempFile(dir, "in", ".txt");
    Files.writeString(in, stdin == null ? "" : stdin, StandardCharsets.UTF_8);
    pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(in.toFile());
    return new Background(pb.start(), out, err, String.join(" ", pb.command()));
  }

  public Result git(Path dir, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add("git");
    cmd.addAll(List.of(args));
    return run(dir, cmd.toArray(String[]::new));
  }

  /** The packaged tool: {@code java -jar workshop.jar ARGS}. */
  public String[] workshop(String... args) {
    return workshopWithContent(projectRoot(), args);
  }

  /** The packaged tool reading its content (steps/, examples/, flux/) from another folder. */
  public String[] workshopWithContent(Path contentRoot, String... args) {
    List<String> cmd = new ArrayList<>(List.of(javaBin(), "-XX:+UseSerialGC", "-Xmx224m", "-XX:+ExitOnOutOfMemoryError", "-XX:TieredStopAtLevel=1"));
    cmd.add("-Dworkshop.projectRoot=" + contentRoot);
    cmd.add("-jar");
    cmd.add(jar().toString());
    cmd.addAll(List.of(args));
    return cmd.toArray(String[]::new);
  }

  public static Path jar() {
    String jar = System.getProperty("workshop.jar");
    if (jar == null) {
      throw new AssertionError("integration tests need -Dworkshop.jar (run them with mvn verify)");
    }
    return Path.of(jar);
  }

  public static Path projectRoot() {
    String root = System.getProperty("workshop.projectRoot");
    if (root != null) {
      return Path.of(root);
    }
    Path here = Path.of("").toAbsolutePath();
    return Files.isDirectory(here.resolve("examples")) ? here : here.getParent();
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  public static String utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
