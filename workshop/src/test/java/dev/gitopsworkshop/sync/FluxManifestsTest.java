package dev.gitopsworkshop.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.gitopsworkshop.WorkshopException;
import dev.gitopsworkshop.support.Cli;
import dev.gitopsworkshop.support.FluxReleaseFixture;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Flux's install manifest: verified (the project's offline one passes, other files are refused
 * saying why) and downloaded once. No internet here: the downloads come from a local HTTP server
 * standing in for GitHub's release assets.
 */
class FluxManifestsTest {
  static final Path OFFLINE = Cli.projectRoot().resolve("flux/install.yaml");
  @TempDir Path tmp;
  HttpServer server;
  final AtomicInteger requests = new AtomicInteger();
  final List<String> progress = new ArrayList<>();

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  /** A local server answering {@code /install.yaml} with the given status and body. */
  URI serve(int status, byte[] body) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/install.yaml", exchange -> {
      requests.incrementAndGet();
      exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
      if (body.length > 0) {
        exchange.getResponseBody().write(body);
      }
      exchange.close();
    });
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/install.yaml");
  }

  Path write(String name, String text) throws IOException {
    Path file = tmp.resolve(name);
    Files.writeString(file, text);
    return file;
  }

  String offline() throws IOException {
    return Files.readString(OFFLINE);
  }

  String release() throws IOException {
    return Files.readString(FluxReleaseFixture.file());
  }

  @Test
  void acceptsTheProjectsOfflineManifestAndListsItsControllerImages() {
    FluxManifests.Verified v = FluxManifests.verify(OFFLINE);
    assertTrue(v.images().contains("ghcr.io/fluxcd/source-controller:v1.9.1"), v.images().toString());
    assertTrue(v.images().contains("ghcr.io/fluxcd/kustomize-controller:v1.9.1"), v.images().toString());
    assertEquals("v2.9.0", v.version(), "its controllers are those Flux v2.9.0 bundles");
  }

  @Test
  void acceptsAManifestShapedLikeTheReleaseWithoutAVersionLabelAndNamesTheReleaseFromItsControllers() throws IOException {
    assertFalse(release().contains("app.kubernetes.io/version:"), "the release's install.yaml carries no version label");
    FluxManifests.Verified v = FluxManifests.verify(FluxReleaseFixture.file());
    assertEquals(FluxReleaseFixture.VERSION, v.version());
    assertEquals(List.of("helm-controller", "image-automation-controller", "image-reflector-controller", "kustomize-controller",
        "notification-controller", "source-controller", "source-watcher"), v.controllers().stream().sorted().toList());
    assertEquals("Flux v2.9.4, 7 controllers", v.describe());
    assertEquals(7, v.images().size(), v.images().toString());
  }

  @Test
  void namesAnEarlierPatchReleaseFromItsControllersTags() throws IOException {
    Path file = write("v2.9.1.yaml", release()
        .replace("source-controller:v1.9.4", "source-controller:v1.9.2").replace("kustomize-controller:v1.9.4", "kustomize-controller:v1.9.2")
        .replace("helm-controller:v1.6.3", "helm-controller:v1.6.2").replace("notification-controller:v1.9.3", "notification-controller:v1.9.2")
        .replace("image-reflector-controller:v1.2.4", "image-reflector-controller:v1.2.2")
        .replace("image-automation-controller:v1.2.4", "image-automation-controller:v1.2.2")
        .replace("source-watcher:v2.2.3", "source-watcher:v2.2.2"));
    assertEquals("v2.9.1", FluxManifests.verify(file).version());
  }

  @Test
  void refusesTheReleaseOfAnotherMinorVersionNamingItsControllers() throws IOException {
    Path file = write("v2.7.yaml", release().replace("source-controller:v1.9.4", "source-controller:v1.7.0")
        .replace("kustomize-controller:v1.9.4", "kustomize-controller:v1.7.0"));
    WorkshopException e = assertThrows(WorkshopException.class, () -> FluxManifests.verify(file));
    assertTrue(e.getMessage().startsWith(file + " is Flux's install manifest for another release than v2.9: it runs "), e.getMessage());
    assertTrue(e.getMessage().contains("source-controller v1.7.0, kustomize-controller v1.7.0"), e.getMessage());
    assertTrue(e.getMessage().endsWith("(Flux v2.9.4 runs source-controller v1.9.4, kustomize-controller v1.9.4, helm-controller v1.6.3, "
        + "notification-controller v1.9.3, image-reflector-controller v1.2.4, image-automation-controller v1.2.4, source-watcher v2.2.3)"),
        e.getMessage());
  }

  @Test
  void refusesAVersionLabelThatContradictsTheControllers() throws IOException {
    Path file = write("labelled.yaml", offline().replace("app.kubernetes.io/version: v2.9.0", "app.kubernetes.io/version: v2.9.3"));
    WorkshopException e = assertThrows(WorkshopException.class, () -> FluxManifests.verify(file));
    assertTrue(e.getMessage().contains("says it is Flux v2.9.3 (its flux-system Namespace's app.kubernetes.io/version label), "
        + "but its controllers are v2.9.0's"), e.getMessage());
  }

  @Test
  void refusesAManifestWithoutImageAutomationSayingWhatStep8Needs() throws IOException {
    Path file = write("no-image.yaml", release().replace("name: image-automation-controller\n  namespace: flux-system\nspec:",
        "name: other\n  namespace: flux-system\nspec:"));
    WorkshopException e = assertThrows(WorkshopException.class, () -> FluxManifests.verify(file));
    assertTrue(e.getMessage().endsWith("it has no Deployment flux-system/image-automation-controller (step 8's image automation needs it; "
        + "`flux install --export` leaves it out unless given --components-extra=image-reflector-controller,image-automation-controller)"),
        e.getMessage());
  }

  @Test
  void refusesAFileThatIsNotYaml() throws IOException {
    Path file = write("bad.yaml", "apiVersion: v1\nkind: [unclosed\n");
    WorkshopException e = assertThrows(WorkshopException.class, () -> FluxManifests.verify(file));
    assertTrue(e.getMessage().startsWith(file + " is not YAML"), e.getMessage());
  }

  @Test
  void refusesAnUnrelatedManifestNamingWhatIsMissing() throws IOException {
    Path file = write("podinfo.yaml", Files.readString(Cli.projectRoot().resolve("examples/podinfo-dep.yaml")));
    WorkshopException e = assertThrows(WorkshopException.class, () -> FluxManifests.verify(file));
    assertEquals(file + " is not Flux's install manifest: it has no flux-system Namespace", e.getMessage());
  }

  @Test
  void refusesAnotherFluxVersionNamingIt() throws IOException {
    Path file = write("old.yaml", offline().replace("app.kubernetes.io/version: v2.9.0", "app.kubernetes.io/version: v2.7.1"));
    WorkshopException e = assertThrows(WorkshopException.class, () -> FluxManifests.verify(file));
    assertTrue(e.getMessage().contains("is Flux's install manifest for v2.7.1, not Flux v2.9 (its flux-system Namespace's "
        + "app.kubernetes.io/version label)"), e.getMessage());
  }

  @Test
  void refusesControllersOnOtherImages() throws IOException {
    Path file = write("mirror.yaml", offline().replace("image: ghcr.io/fluxcd/kustomize-controller:", "image: example.com/kustomize-controller:"));
    WorkshopException e = assertThrows(WorkshopException.class, () -> FluxManifests.verify(file));
    assertTrue(e.getMessage().contains("the kustomize-controller Deployment runs 'example.com/kustomize-controller:v1.9.1'"), e.getMessage());
  }

  @Test
  void refusesAManifestWithoutTheKustomizationCrd() throws IOException {
    Path file = write("partial.yaml", offline().replace("name: kustomizations.kustomize.toolkit.fluxcd.io", "name: other.example.com"));
    WorkshopException e = assertThrows(WorkshopException.class, () -> FluxManifests.verify(file));
    assertTrue(e.getMessage().endsWith("it has no CustomResourceDefinition kustomizations.kustomize.toolkit.fluxcd.io"), e.getMessage());
  }

  @Test
  void aGivenFileThatIsMissingOrNotFluxIsAUsageError() throws IOException {
    WorkshopException missing = assertThrows(WorkshopException.class, () -> FluxManifests.given(tmp.resolve("nope.yaml")));
    assertEquals(WorkshopException.USAGE, missing.exitCode());
    assertTrue(missing.getMessage().contains("nope.yaml: no such file"), missing.getMessage());
    Path podinfo = write("p.yaml", Files.readString(Cli.projectRoot().resolve("examples/podinfo-dep.yaml")));
    WorkshopException notFlux = assertThrows(WorkshopException.class, () -> FluxManifests.given(podinfo));
    assertEquals(WorkshopException.USAGE, notFlux.exitCode());
    assertTrue(notFlux.getMessage().startsWith("--flux-manifests " + podinfo + " is not Flux's install manifest"), notFlux.getMessage());
  }

  @Test
  void downloadsAReleaseShapedManifestFromALocalServerOnceAndThenUsesTheCache() throws IOException {
    URI url = serve(200, Files.readAllBytes(FluxReleaseFixture.file()));
    Path cached = tmp.resolve("cache/flux-v2.9.4-install.yaml");
    FluxManifests.Verified first = FluxManifests.cachedOrDownload(url, cached, progress::add);
    assertEquals(cached, first.file());
    assertEquals(release(), Files.readString(cached));
    assertTrue(progress.get(0).startsWith("downloading Flux v2.9.4's install manifest from " + url), progress.toString());
    assertEquals("Flux's install manifest saved in " + cached + " (Flux v2.9.4, 7 controllers)", progress.get(progress.size() - 1));
    FluxManifests.Verified second = FluxManifests.cachedOrDownload(url, cached, progress::add);
    assertEquals(cached, second.file());
    assertEquals(1, requests.get(), "the second use reads the cache: it passed the check");
    assertEquals("Flux's install manifest: " + cached + " (cached; Flux v2.9.4, 7 controllers)", progress.get(progress.size() - 1));
  }

  @Test
  void aLocalServerSendingSomethingElseLeavesNothingInTheCache() throws IOException {
    URI url = serve(200, "<html>rate limited</html>\n".getBytes());
    Path cached = tmp.resolve("cache/flux.yaml");
    WorkshopException e = assertThrows(WorkshopException.class, () -> FluxManifests.cachedOrDownload(url, cached, progress::add));
    assertTrue(e.getMessage().startsWith("what " + url + " sent is not Flux's install manifest"), e.getMessage());
    assertFalse(Files.exists(cached));
    try (var left = Files.list(cached.getParent())) {
      assertEquals(0, left.count(), "no partial file left behind");
    }
  }

  @Test
  void aLocalServerAnswering404SaysSoAndWhatToDo() throws IOException {
    URI url = serve(404, new byte[0]);
    WorkshopException e = assertThrows(WorkshopException.class,
        () -> FluxManifests.cachedOrDownload(url, tmp.resolve("c/flux.yaml"), progress::add));
    assertEquals("cannot download Flux's install manifest from " + url + ": the server answered HTTP 404", e.getMessage());
    assertTrue(e.hint().contains("prefetch") && e.hint().contains("--flux-manifests"), e.hint());
  }

  @Test
  void aDamagedCacheIsDownloadedAgain() throws IOException {
    URI url = serve(200, Files.readAllBytes(OFFLINE));
    Path cached = write("flux.yaml", "truncated: [");
    FluxManifests.cachedOrDownload(url, cached, progress::add);
    assertEquals(offline(), Files.readString(cached));
    assertEquals(1, requests.get());
  }
}
