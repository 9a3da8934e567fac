package dev.gitopsworkshop.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import dev.gitopsworkshop.Mappers;
import dev.gitopsworkshop.WorkshopException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Flux's install manifest for the pinned release: the release's {@code install.yaml}, downloaded
 * once into a per-user cache, or a file the user gives ({@code --flux-manifests}, for offline
 * rooms). Either is verified before use by what a release really fixes: the flux-system Namespace,
 * the CRDs the tutorial uses, and its controllers on {@code ghcr.io/fluxcd/} images whose tags name
 * the release (the release's file has no version label; {@code flux install --export} adds one,
 * which must then agree). Any v2.9 patch release is accepted, and named.
 */
public final class FluxManifests {
  private static final Logger LOG = LoggerFactory.getLogger(FluxManifests.class);
  /** The release downloaded: the newest v2.9 patch release (its controllers are in {@link FluxReleases}). */
  public static final String VERSION = "v2.9.4";
  /** The minor release the tutorial is written for; any of its patch releases is accepted. */
  static final String LINE = "v2.9";
  private static final String REGISTRY = "ghcr.io/fluxcd/";
  public static final URI RELEASE_URL =
      URI.create("https://github.com/fluxcd/flux2/releases/download/" + VERSION + "/install.yaml");
  private static final String VERSION_LABEL = "app.kubernetes.io/version";
  /** What the tutorial's steps use: Git as the source, a Kustomization, and step 8's image automation. */
  private static final List<String> REQUIRED_CRDS = List.of("gitrepositories.source.toolkit.fluxcd.io",
      "kustomizations.kustomize.toolkit.fluxcd.io", "imagerepositories.image.toolkit.fluxcd.io",
      "imagepolicies.image.toolkit.fluxcd.io", "imageupdateautomations.image.toolkit.fluxcd.io");
  private static final List<String> REQUIRED_CONTROLLERS =
      List.of("source-controller", "kustomize-controller", "image-reflector-controller", "image-automation-controller");

  private FluxManifests() {}

  /**
   * What a verified manifest holds that the lab needs later.
   *
   * @param version the Flux release its controllers are from ("v2.9.4"; "v2.9.2 or v2.9.3" when the
   *     controllers present fit several; "v2.9.x" for v2.9 controllers of no release known here)
   * @param controllers Flux's controllers it runs (the release has seven, the project's offline one four)
   */
  public record Verified(Path file, List<String> images, String version, List<String> controllers) {
    /** "Flux v2.9.4, 7 controllers", for a progress line. */
    public String describe() {
      return "Flux " + version + ", " + controllers.size() + " controllers";
    }
  }

  /** {@code $XDG_CACHE_HOME/gitops-workshop} (default {@code ~/.cache/gitops-workshop}). */
  public static Path cacheDir() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
    return base.resolve("gitops-workshop");
  }

  /** Where the downloaded release manifest is kept. */
  public static Path cachedFile() {
    return cacheDir().resolve("flux-" + VERSION + "-install.yaml");
  }

  /** A file given with {@code --flux-manifests}: verified, or a usage error saying what is wrong. */
  public static Verified given(Path file) {
    if (!Files.isRegularFile(file)) {
      throw WorkshopException.usage("--flux-manifests " + file + ": no such file",
          "give the path of Flux's install.yaml (" + RELEASE_URL + "), or leave the option out to download it");
    }
    try {
      return check(file);
    } catch (NotFlux e) {
      throw WorkshopException.usage("--flux-manifests " + file + " " + e.getMessage(),
          "give the install.yaml of a Flux " + LINE + " release (" + RELEASE_URL + ")");
    }
  }

  /**
   * The release manifest from the cache, downloading it first when it is not there yet.
   *
   * @param from where to download it (the release URL, or a mirror)
   */
  public static Verified cachedOrDownload(URI from, Consumer<String> progress) {
    return cachedOrDownload(from, cachedFile(), progress);
  }

  static Verified cachedOrDownload(URI from, Path cached, Consumer<String> progress) {
    if (Files.isRegularFile(cached)) {
      try {
        Verified v = check(cached);
        progress.accept("Flux's install manifest: " + cached + " (cached; " + v.describe() + ")");
        return v;
      } catch (NotFlux e) {
        progress.accept("the cached " + cached + " " + e.getMessage() + ": downloading it again");
      }
    }
    return download(from, cached, progress);
  }

  /**
   * The release manifest when the cache already holds it ({@code prefetch} put it there), without
   * downloading; empty when it is not there or not Flux's (then said through {@code progress}).
   */
  public static java.util.Optional<Verified> cachedOnly(Path cached, Consumer<String> progress) {
    if (!Files.isRegularFile(cached)) {
      return java.util.Optional.empty();
    }
    try {
      return java.util.Optional.of(check(cached));
    } catch (NotFlux e) {
      progress.accept("the cached " + cached + " " + e.getMessage() + ": using the project's offline install manifest");
      return java.util.Optional.empty();
    }
  }

  /** Downloads to {@code target} (through a temporary file, so a broken download leaves nothing), then verifies. */
  public static Verified download(URI from, Path target, Consumer<String> progress) {
    progress.accept("downloading Flux " + VERSION + "'s install manifest from " + from);
    Path tmp = null;
    try {
      Files.createDirectories(target.getParent());
      tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".part");
      HttpClient http = HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NORMAL)
          .connectTimeout(Duration.ofSeconds(10))
          .build();
      HttpResponse<InputStream> response = http.send(
          HttpRequest.newBuilder(from).timeout(Duration.ofMinutes(5)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
      if (response.statusCode() != 200) {
        response.body().close();
        throw new IOException("the server answered HTTP " + response.statusCode());
      }
      long total = response.headers().firstValueAsLong("Content-Length").orElse(-1);
      copyWithProgress(response.body(), tmp, total, progress);
      Verified verified;
      try {
        verified = check(tmp);
      } catch (NotFlux e) {
        throw new WorkshopException("what " + from + " sent " + e.getMessage(),
            "check the address (a mirror must serve Flux " + VERSION + "'s install.yaml), or give run and up the file with --flux-manifests FILE");
      }
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      progress.accept("Flux's install manifest saved in " + target + " (" + verified.describe() + ")");
      return new Verified(target, verified.images(), verified.version(), verified.controllers());
    } catch (IOException e) {
      throw new WorkshopException("cannot download Flux's install manifest from " + from + ": " + describe(e),
          "run 'scripts/workshop prefetch' where the internet works, or give run and up the file with --flux-manifests FILE", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WorkshopException("the download of Flux's install manifest was interrupted", null, e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException e) {
          LOG.warn("cannot delete {} (a stray .part file in the cache)", tmp, e);
        }
      }
    }
  }

  /** The first cause with words in it (a refused connection has none of its own). */
  private static String describe(IOException e) {
    Throwable t = e;
    while ((t.getMessage() == null || t.getMessage().isBlank()) && t.getCause() != null) {
      t = t.getCause();
    }
    String m = t.getMessage();
    return m == null || m.isBlank() ? "no connection (" + t.getClass().getSimpleName() + ")" : m;
  }

  private static void copyWithProgress(InputStream in, Path to, long total, Consumer<String> progress) throws IOException {
    byte[] buf = new byte[64 * 1024];
    long done = 0;
    long nextReport = 1024 * 1024;
    try (in; OutputStream out = Files.newOutputStream(to)) {
      for (int n; (n = in.read(buf)) > 0; ) {
        out.write(buf, 0, n);
        done += n;
        if (done >= nextReport) {
          progress.accept(total > 0
              ? String.format("  %.1f of %.1f MB", done / 1e6, total / 1e6)
              : String.format("  %.1f MB", done / 1e6));
          nextReport += 1024 * 1024;
        }
      }
    }
  }

  /** Checks that the file is the install manifest of a Flux {@link #LINE} release; an error saying what it is instead. */
  public static Verified verify(Path file) {
    try {
      return check(file);
    } catch (NotFlux e) {
      throw new WorkshopException(file + " " + e.getMessage(), "use the install.yaml of a Flux " + LINE + " release (" + RELEASE_URL + ")");
    }
  }

  /** Why a file is not the manifest wanted; its message completes "FILE ...". */
  private static final class NotFlux extends Exception {
    NotFlux(String reason) {
      super(reason);
    }
  }

  private static Verified check(Path file) throws NotFlux {
    List<JsonNode> docs = new ArrayList<>();
    try {
      Mappers.refuseYamlAliases(Files.readString(file));
    } catch (NoSuchFileException e) {
      throw new NotFlux("does not exist");
    } catch (IOException e) {
      throw new NotFlux("is not YAML the lab can read: " + e.getMessage().lines().findFirst().orElse(""));
    }
    try (MappingIterator<JsonNode> it = Mappers.YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
      while (it.hasNext()) {
        JsonNode doc = it.next();
        if (doc != null && doc.isObject()) {
          docs.add(doc);
        }
      }
    } catch (NoSuchFileException e) {
      throw new NotFlux("does not exist");
    } catch (IOException | RuntimeException e) {
      String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
      throw new NotFlux("is not YAML: " + m);
    }
    JsonNode namespace = docs.stream()
        .filter(d -> kind(d, "Namespace") && "flux-system".equals(d.at("/metadata/name").asText()))
        .findFirst()
        .orElseThrow(() -> new NotFlux("is not Flux's install manifest: it has no flux-system Namespace"));
    String label = namespace.at("/metadata/labels").path(VERSION_LABEL).asText("");
    if (!label.isEmpty() && !label.startsWith(LINE + ".")) {
      throw new NotFlux("is Flux's install manifest for " + label + ", not Flux " + LINE
          + " (its flux-system Namespace's " + VERSION_LABEL + " label)");
    }
    for (String crd : REQUIRED_CRDS) {
      boolean present = docs.stream().anyMatch(d -> kind(d, "CustomResourceDefinition") && crd.equals(d.at("/metadata/name").asText()));
      if (!present) {
        throw new NotFlux("is not Flux's install manifest: it has no CustomResourceDefinition " + crd);
      }
    }
    Set<String> images = new LinkedHashSet<>();
    Map<String, String> tags = new LinkedHashMap<>();
    for (JsonNode d : docs) {
      if (!kind(d, "Deployment")) {
        continue;
      }
      for (JsonNode c : d.at("/spec/template/spec/containers")) {
        String image = c.path("image").asText();
        images.add(image);
        String controller = d.at("/metadata/name").asText();
        if (FluxReleases.CONTROLLERS.contains(controller) && image.startsWith(REGISTRY + controller + ":")) {
          tags.put(controller, image.substring((REGISTRY + controller + ":").length()));
        }
      }
    }
    for (String controller : REQUIRED_CONTROLLERS) {
      JsonNode deployment = docs.stream()
          .filter(d -> kind(d, "Deployment") && controller.equals(d.at("/metadata/name").asText())
              && "flux-system".equals(d.at("/metadata/namespace").asText()))
          .findFirst()
          .orElseThrow(() -> new NotFlux("is not Flux's install manifest for the tutorial: it has no Deployment flux-system/" + controller
              + (controller.startsWith("image-") ? " (step 8's image automation needs it; `flux install --export` leaves it out"
                  + " unless given --components-extra=image-reflector-controller,image-automation-controller)" : "")));
      String image = deployment.at("/spec/template/spec/containers/0/image").asText("");
      if (!image.startsWith(REGISTRY + controller + ":")) {
        throw new NotFlux("is not Flux's install manifest: the " + controller + " Deployment runs '" + image
            + "', not " + REGISTRY + controller);
      }
    }
    String version = FluxReleases.identify(tags).orElseThrow(() -> new NotFlux("is Flux's install manifest for another release than "
        + LINE + ": it runs " + FluxReleases.describe(tags) + " (Flux " + VERSION + " runs "
        + FluxReleases.describe(FluxReleases.LATEST.tags()) + ")"));
    if (!label.isEmpty() && !version.equals("v2.9.x") && !List.of(version.split(" or ")).contains(label)) {
      throw new NotFlux("says it is Flux " + label + " (its flux-system Namespace's " + VERSION_LABEL + " label), but its controllers are "
          + version + "'s: " + FluxReleases.describe(tags));
    }
    return new Verified(file, List.copyOf(images), version, List.copyOf(tags.keySet()));
  }

  private static boolean kind(JsonNode doc, String kind) {
    return kind.equals(doc.path("kind").asText());
  }
}
