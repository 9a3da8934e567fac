package dev.gitopsworkshop.lab;

import dev.gitopsworkshop.Mappers;
import dev.gitopsworkshop.WorkshopException;
import dev.gitopsworkshop.cluster.ClusterMode;
import dev.gitopsworkshop.cluster.DockerProbe;
import dev.gitopsworkshop.state.DataDir;
import dev.gitopsworkshop.state.LabFile;
import dev.gitopsworkshop.sync.FluxManifests;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a lab needs from this machine, as named checks (like {@code flux check --pre}): each passes,
 * fails (with what to do), warns (optional things) or is skipped (not needed in this mode).
 */
public final class Doctor {
  private static final Logger LOG = LoggerFactory.getLogger(Doctor.class);
  /** k3s needs about 1.6 GB; a little headroom. */
  static final long MIN_DOCKER_MEMORY = 2L * 1024 * 1024 * 1024;
  /** The registries k3s pulls from: name shown, host asked. */
  static final Map<String, String> REGISTRIES = Map.of("ghcr.io", "ghcr.io", "docker.io", "registry-1.docker.io");

  public enum Status { PASS, WARN, FAIL, SKIP }

  /** One check's verdict; {@code whatToDo} is null when there is nothing to do. */
  public record Check(String name, Status status, String detail, String whatToDo) {}

  /**
   * How the checks look at the machine; tests replace what this machine cannot show (a Docker engine).
   *
   * @param registry null when the registry answers over HTTPS, else why not
   */
  public record Probes(Supplier<DockerProbe.Answer> docker, Supplier<OptionalLong> dockerMemory,
      Function<String, Optional<Path>> onPath, Function<String, String> registry) {
    public static Probes real() {
      return new Probes(DockerProbe::ask, DockerProbe::memTotal, Doctor::onPath, Doctor::registryProblem);
    }
  }

  private Doctor() {}

  /**
   * The checks for a mode, and what that mode would run.
   *
   * @param judged the mode a lab would run (auto resolved as {@link #judged} says)
   */
  public record Report(ClusterMode mode, ClusterMode judged, List<Check> checks) {
    /** "for --cluster auto: the embedded cluster, as no Docker engine answers", the report's first line. */
    public String heading() {
      if (mode != ClusterMode.AUTO) {
        return "checks for --cluster " + mode.label();
      }
      return judged == ClusterMode.K3S
          ? "checks for --cluster auto, which runs k3s here, as Docker answers"
          : "checks for --cluster auto, which runs the embedded cluster here, as no Docker engine answers";
    }
  }

  public static List<Check> run(DataDir dir, ClusterMode mode, Probes probes) {
    return report(dir, mode, probes).checks();
  }

  public static Report report(DataDir dir, ClusterMode mode, Probes probes) {
    List<Check> checks = new ArrayList<>();
    DockerProbe.Answer docker = probes.docker().get();
    ClusterMode judged = judged(mode, docker);
    boolean k3s = judged == ClusterMode.K3S;
    checks.add(java(Runtime.version(), Path.of(System.getProperty("java.home"))));
    checks.add(git(probes));
    checks.add(kubectl(judged, probes));
    checks.add(docker(mode, judged, docker, probes));
    checks.add(dataDir(dir));
    checks.add(ports(dir));
    checks.addAll(registries(k3s, probes));
    checks.add(fluxManifest(judged == ClusterMode.KUBECONFIG || k3s));
    return new Report(mode, judged, List.copyOf(checks));
  }

  /** The mode a lab would run: auto becomes k3s where Docker answers, the embedded cluster otherwise. */
  public static ClusterMode judged(ClusterMode mode, DockerProbe.Answer docker) {
    if (mode != ClusterMode.AUTO) {
      return mode;
    }
    return docker.available() ? ClusterMode.K3S : ClusterMode.EMBEDDED;
  }

  public static boolean passed(List<Check> checks) {
    return checks.stream().noneMatch(c -> c.status() == Status.FAIL);
  }

  /** The JDK this runs on: scripts/workshop builds the tool with it (17 or newer, with javac). */
  static Check java(Runtime.Version version, Path javaHome) {
    String name = "Java";
    String what = "Java " + version + " (" + javaHome + ")";
    if (version.feature() < 17) {
      return new Check(name, Status.FAIL, what + "; the workshop needs 17 or newer",
          "install a JDK 17 or newer (e.g. Eclipse Temurin, https://adoptium.net) and put it first on PATH or in JAVA_HOME");
    }
    if (!Files.isRegularFile(javaHome.resolve("bin/javac")) && !Files.isRegularFile(javaHome.resolve("bin/javac.exe"))) {
      return new Check(name, Status.WARN, what + " is a runtime without javac: scripts/workshop builds the tool with a JDK",
          "install a JDK 17 or newer (not only a JRE), e.g. Eclipse Temurin (https://adoptium.net)");
    }
    return new Check(name, Status.PASS, what, null);
  }

  /** git: the participant clones, commits and pushes with it (the lab itself uses none). */
  static Check git(Probes probes) {
    Optional<Path> git = probes.onPath().apply("git");
    return git.isPresent()
        ? new Check("git", Status.PASS, git.get().toString(), null)
        : new Check("git", Status.WARN, "not on PATH: the steps are done with git (clone, commit, push)",
            "install git (https://git-scm.com/downloads)");
  }

  static Check docker(ClusterMode mode, ClusterMode judged, DockerProbe.Answer answer, Probes probes) {
    String name = "Docker";
    if (mode == ClusterMode.EMBEDDED || mode == ClusterMode.KUBECONFIG) {
      return new Check(name, Status.SKIP, "not needed with --cluster " + mode.label(), null);
    }
    if (!answer.available()) {
      String install = "install and start Docker (or Podman with its Docker socket, DOCKER_HOST=unix://...)";
      return judged == ClusterMode.K3S
          ? new Check(name, Status.FAIL, "no Docker engine answers (" + answer.reason() + "); k3s runs in Docker",
              install + "; without it, use --cluster embedded (offline, in-process)")
          : new Check(name, Status.WARN, "no Docker engine answers (" + answer.reason() + "): the lab runs the embedded "
              + "cluster; k3s (real Flux) would need Docker", "for k3s, " + install);
    }
    OptionalLong memory = probes.dockerMemory().get();
    if (memory.isEmpty()) {
      return new Check(name, Status.PASS, answer.reason() + " (its memory is not known)", null);
    }
    String gib = String.format("%.1f GiB", memory.getAsLong() / (1024.0 * 1024 * 1024));
    if (memory.getAsLong() < MIN_DOCKER_MEMORY) {
      return new Check(name, Status.FAIL, answer.reason() + ", with " + gib + " of memory; k3s needs about 2 GiB",
          "give Docker more memory (Docker Desktop: Settings, Resources), or use --cluster embedded");
    }
    return new Check(name, Status.PASS, answer.reason() + ", with " + gib + " of memory", null);
  }

  /** The data dir, or the folder it would be made in: checking leaves nothing behind. */
  static Check dataDir(DataDir dir) {
    if (java.nio.file.Files.isDirectory(dir.root())) {
      try {
        dir.ensureWritable();
        return new Check("data dir", Status.PASS, dir.root() + " is writable", null);
      } catch (WorkshopException e) {
        return new Check("data dir", Status.FAIL, e.getMessage(), e.hint());
      }
    }
    java.nio.file.Path parent = dir.root().getParent();
    while (parent != null && !java.nio.file.Files.exists(parent)) {
      parent = parent.getParent();
    }
    if (parent != null && java.nio.file.Files.isDirectory(parent) && java.nio.file.Files.isWritable(parent)) {
      return new Check("data dir", Status.PASS, dir.root() + " does not exist yet; the lab creates it (" + parent + " is writable)", null);
    }
    return new Check("data dir", Status.FAIL, dir.root() + " cannot be created" + (parent == null ? "" : ": " + parent
        + (java.nio.file.Files.isDirectory(parent) ? " is not writable" : " is not a directory")),
        "choose another one with --data-dir");
  }

  /** The ports this data dir used last time (a restarted lab takes them again) must be free, unless its lab holds them. */
  static Check ports(DataDir dir) {
    String name = "ports";
    Optional<ProcessHandle> running = runningLab(dir);
    if (running.isPresent()) {
      return new Check(name, Status.PASS, "a lab runs in " + dir.root() + " (process " + running.get().pid() + ") and holds its ports", null);
    }
    Map<String, Integer> remembered = rememberedPorts(dir);
    if (remembered.isEmpty()) {
      return new Check(name, Status.PASS, "none remembered in " + dir.root() + ": free ones are taken at start", null);
    }
    List<String> taken = new ArrayList<>();
    List<String> free = new ArrayList<>();
    remembered.forEach((what, port) -> (isFree(port) ? free : taken).add(what + " " + port));
    if (!taken.isEmpty()) {
      return new Check(name, Status.FAIL, "in use: " + String.join(", ", taken) + " (remembered in " + dir.root() + ")",
          "stop what uses them (ss -ltnp shows it), or start with other ports (--port, --api-port) or another --data-dir");
    }
    return new Check(name, Status.PASS, "free: " + String.join(", ", free), null);
  }

  /**
   * kubectl: the participant's steps use it; on the embedded cluster, Flux's kustomize builds run
   * through {@code kubectl kustomize} too (real Flux builds inside its own cluster).
   */
  static Check kubectl(ClusterMode judged, Probes probes) {
    Optional<Path> kubectl = probes.onPath().apply("kubectl");
    if (kubectl.isPresent()) {
      return new Check("kubectl", Status.PASS, kubectl.get().toString(), null);
    }
    return new Check("kubectl", Status.WARN, judged == ClusterMode.EMBEDDED
        ? "not on PATH: the steps use it, and the embedded cluster's Flux builds a kustomization.yaml with more than "
            + "'resources:' only through 'kubectl kustomize'"
        : "not on PATH: the steps use it (the lab itself does not)",
        "install kubectl (https://kubernetes.io/docs/tasks/tools/)");
  }

  static List<Check> registries(boolean k3s, Probes probes) {
    List<Check> checks = new ArrayList<>();
    for (String registry : List.of("ghcr.io", "docker.io")) {
      String name = "registry " + registry;
      if (!k3s) {
        checks.add(new Check(name, Status.SKIP, "only k3s pulls images (check with --cluster k3s)", null));
        continue;
      }
      String problem = probes.registry().apply(REGISTRIES.get(registry));
      checks.add(problem == null
          ? new Check(name, Status.PASS, "answers over HTTPS", null)
          : new Check(name, Status.FAIL, "does not answer: " + problem,
              "k3s pulls Flux's and podinfo's images from it: check the network or proxy, or run "
                  + "'scripts/workshop prefetch' where the network works"));
    }
    return checks;
  }

  static Check fluxManifest(boolean realFlux) {
    String name = "Flux manifest";
    if (!realFlux) {
      return new Check(name, Status.SKIP, "the embedded cluster uses the project's offline flux/install.yaml", null);
    }
    Path cached = FluxManifests.cachedFile();
    return Files.isRegularFile(cached)
        ? new Check(name, Status.PASS, "Flux " + FluxManifests.VERSION + " cached in " + cached, null)
        : new Check(name, Status.WARN, "not cached yet: downloaded at the first start",
            "run 'scripts/workshop prefetch' now if the room's network will be poor, or give run and up --flux-manifests FILE");
  }

  private static Optional<ProcessHandle> runningLab(DataDir dir) {
    if (!LabFile.exists(dir)) {
      return Optional.empty();
    }
    try {
      long pid = LabFile.read(dir).json().path("pid").asLong(-1);
      return pid > 0 ? ProcessHandle.of(pid).filter(ProcessHandle::isAlive) : Optional.empty();
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private static Map<String, Integer> rememberedPorts(DataDir dir) {
    Map<String, Integer> ports = new LinkedHashMap<>();
    jsonPort(dir.resolve("credentials.json")).ifPresent(p -> ports.put("Git server", p));
    jsonPort(dir.resolve("cluster.json")).ifPresent(p -> ports.put("embedded API server", p));
    try {
      Path console = dir.resolve("console-port");
      if (Files.isRegularFile(console)) {
        ports.put("lab console", Integer.parseInt(Files.readString(console).strip()));
      }
    } catch (IOException | NumberFormatException e) {
      LOG.debug("a damaged console-port file: the lab picks a free port", e);
    }
    return ports;
  }

  private static Optional<Integer> jsonPort(Path file) {
    try {
      if (Files.isRegularFile(file)) {
        int port = Mappers.JSON.readTree(file.toFile()).path("port").asInt(0);
        return port > 0 ? Optional.of(port) : Optional.empty();
      }
    } catch (IOException e) {
      LOG.debug("{} is unreadable: no port remembered", file, e);
    }
    return Optional.empty();
  }

  static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  static Optional<Path> onPath(String command) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(java.io.File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, command);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** Any HTTP answer from {@code https://HOST/v2/} (401 is the usual one) means the registry is reachable. */
  static String registryProblem(String host) {
    return httpProblem(URI.create("https://" + host + "/v2/"));
  }

  static String httpProblem(URI uri) {
    try {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
      http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.discarding());
      return null;
    } catch (IOException e) {
      Throwable t = e;
      while ((t.getMessage() == null || t.getMessage().isBlank()) && t.getCause() != null) {
        t = t.getCause();
      }
      return t.getMessage() == null || t.getMessage().isBlank() ? t.getClass().getSimpleName() : t.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }
}
