package dev.gitopsworkshop.sync.build;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kustomize engine kubectl embeds ({@code kubectl kustomize}, kustomize v5), run the way Flux
 * runs kustomize: files may be loaded from outside a kustomization's folder
 * ({@code --load-restrictor LoadRestrictionsNone}; {@link LoadRules} keeps them inside the
 * artifact), no plugins, no Helm.
 */
final class KubectlKustomize {
  private static final Logger LOG = LoggerFactory.getLogger(KubectlKustomize.class);
  private static final long TIMEOUT_SECONDS = 60;
  private static final Pattern GO_ERROR = Pattern.compile("err=\"((?:[^\"\\\\]|\\\\.)*)\"");

  private final Path kubectl;

  KubectlKustomize(Path kubectl) {
    this.kubectl = kubectl;
  }

  /** kubectl on the PATH of this process, if there is one. */
  static Optional<Path> onPath() {
    String path = System.getenv("PATH");
    for (String dir : path == null ? new String[0] : path.split(File.pathSeparator)) {
      if (!dir.isEmpty()) {
        Path candidate = Path.of(dir, "kubectl");
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }

  Path executable() {
    return kubectl;
  }

  /**
   * The YAML kustomize builds from {@code dir}; a failure carries kustomize's own message, with the
   * paths made relative to {@code root} (the unpacked artifact).
   */
  String build(Path root, Path dir) {
    List<String> command = List.of(kubectl.toString(), "kustomize", "--load-restrictor", "LoadRestrictionsNone", dir.toString());
    Process p;
    try {
      ProcessBuilder pb = new ProcessBuilder(command).directory(root.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      // a short-lived build: Go's collector running less often takes a quarter off its CPU time
      // (measured here), which is what a push waits for on a busy machine
      pb.environment().put("GOGC", "400");
      p = pb.start();
    } catch (IOException e) {
      LOG.warn("cannot run {}", kubectl, e);
      throw BuildFailure.build("kustomize build failed: cannot run " + kubectl + ": " + e.getMessage());
    }
    CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
    String out = read(p.getInputStream());
    try {
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw BuildFailure.build("kustomize build failed: kubectl kustomize took more than " + TIMEOUT_SECONDS + "s");
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw BuildFailure.build("kustomize build failed: interrupted");
    }
    if (p.exitValue() != 0) {
      String message = message(err.join()).replace(root + File.separator, "").replace(root.toString(), ".");
      throw BuildFailure.build("kustomize build failed: " + message);
    }
    return out;
  }

  /** kustomize's error as kubectl prints it ({@code ... "command failed" err="..."} or {@code error: ...}). */
  static String message(String stderr) {
    Matcher m = GO_ERROR.matcher(stderr);
    String text;
    if (m.find()) {
      text = unquote(m.group(1));
    } else {
      text = stderr.strip().replaceFirst("^error: ", "");
    }
    return text.isEmpty() ? "kubectl kustomize failed without a message" : text.strip();
  }

  /** The text of a Go string literal's body. */
  private static String unquote(String quoted) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < quoted.length(); i++) {
      char c = quoted.charAt(i);
      if (c == '\\' && i + 1 < quoted.length()) {
        char n = quoted.charAt(++i);
        out.append(switch (n) {
          case 'n' -> '\n';
          case 't' -> '\t';
          default -> n;
        });
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static String read(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      LOG.debug("reading kubectl's output failed", e);
      return "";
    }
  }
}
