package dev.gitopsworkshop.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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
    try {
      Process p = start(dir, env, command);
      Path out = Files.createTempFile(home, "out", ".txt");
      Path err = Files.createTempFile(home, "err", ".txt");
      p.getInputStream().transferTo(Files.newOutputStream(out));
      p.getErrorStream().transferTo(Files.newOutputStream(err));
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("timed out: " + String.join(" ", command));
      }
      return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    } catch (IOException e) {
      throw new AssertionError("cannot run " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Starts a process in the background (stdout and stderr go to files next to HOME). */
  public Process start(Path dir, Map<String, String> env, String... command) throws IOException {
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
    return pb.start();
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
    List<String> cmd = new ArrayList<>(List.of(javaBin(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
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
