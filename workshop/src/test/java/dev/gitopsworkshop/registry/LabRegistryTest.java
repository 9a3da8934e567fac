package dev.gitopsworkshop.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitopsworkshop.WorkshopException;
import dev.gitopsworkshop.console.LabConsole;
import dev.gitopsworkshop.state.DataDir;
import dev.gitopsworkshop.state.LabFile;
import dev.gitopsworkshop.sync.image.RegistryClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lab's registry over real HTTP: the OCI tag listing with its token challenge and pages, and publishing. */
class LabRegistryTest {
  @TempDir Path tmp;
  private LabConsole console;
  private TagStore tags;
  private final HttpClient http = HttpClient.newHttpClient();
  private final RegistryClient client = new RegistryClient(Duration.ofSeconds(2));

  @BeforeEach
  void start() {
    DataDir dir = DataDir.at(tmp.resolve("data")).ensureWritable();
    tags = TagStore.open(dir.resolve("registry"));
    console = LabConsole.start(dir);
    LabRegistry.serve(console, tags);
  }

  @AfterEach
  void stop() {
    console.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(console.url() + path)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void withoutATokenTheRegistryChallengesAsPublicRegistriesDo() throws Exception {
    HttpResponse<String> r = get("/v2/stefanprodan/podinfo/tags/list");
    assertEquals(401, r.statusCode());
    String challenge = r.headers().firstValue("WWW-Authenticate").orElse("");
    assertTrue(challenge.startsWith("Bearer realm=\"" + console.url() + "/registry/token\""), challenge);
    assertTrue(challenge.contains("scope=\"repository:stefanprodan/podinfo:pull\""), challenge);
    assertTrue(r.body().contains("UNAUTHORIZED"), r.body());
    HttpResponse<String> token = get("/registry/token?service=workshop-registry&scope=repository:stefanprodan/podinfo:pull");
    assertEquals(200, token.statusCode());
    assertTrue(token.body().contains("\"token\""), token.body());
  }

  @Test
  void aClientGetsEveryTagAcrossPagesInLexicalOrder() throws Exception {
    List<String> all = client.tags(console.url(), TagStore.PODINFO, Duration.ofSeconds(5));
    assertTrue(all.size() > 50, "more than one page: " + all.size());
    assertEquals(all.stream().sorted().toList(), all);
    assertTrue(all.containsAll(List.of("6.0.0", "6.5.0", "6.5.4", "6.14.1")), all.toString());
    assertFalse(all.contains("6.5.9"));
  }

  @Test
  void pagesFollowNAndLastWithALinkToTheNext() throws Exception {
    String token = new com.fasterxml.jackson.databind.ObjectMapper().readTree(get("/registry/token").body()).path("token").asText();
    HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(console.url() + "/v2/stefanprodan/podinfo/tags/list?n=2&last=6.5.0"))
        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, page.statusCode());
    assertEquals("{\"name\":\"stefanprodan/podinfo\",\"tags\":[\"6.5.1\",\"6.5.2\"]}", page.body());
    assertEquals("</v2/stefanprodan/podinfo/tags/list?n=2&last=6.5.2>; rel=\"next\"", page.headers().firstValue("Link").orElse(""));
    HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create(console.url() + "/v2/stefanprodan/podinfo/tags/list?n=x"))
        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(400, bad.statusCode());
    assertTrue(bad.body().contains("PAGINATION_NUMBER_INVALID"), bad.body());
  }

  @Test
  void anUnknownRepositoryOrAnUnreachableRegistryIsAPlainScanFailure() {
    RegistryClient.ScanFailure unknown = assertThrows(RegistryClient.ScanFailure.class,
        () -> client.tags(console.url(), "nobody/nothing", Duration.ofSeconds(5)));
    assertTrue(unknown.getMessage().contains("repository nobody/nothing not found") && unknown.getMessage().contains("spec.image"), unknown.getMessage());
    RegistryClient.ScanFailure down = assertThrows(RegistryClient.ScanFailure.class,
        () -> client.tags("http://127.0.0.1:9", "stefanprodan/podinfo", Duration.ofSeconds(5)));
    assertTrue(down.getMessage().contains("cannot reach the registry http://127.0.0.1:9"), down.getMessage());
  }

  @Test
  void publishingNeedsTheConsoleTokenAndIsKeptInTheDataDir() throws Exception {
    LabFile lab = LabFile.empty().put("registry", "url", console.url()).put("console", "token", "wrong");
    WorkshopException refused = assertThrows(WorkshopException.class, () -> RegistryRemote.of(lab).publish(TagStore.PODINFO, "6.5.9"));
    assertTrue(refused.getMessage().contains("HTTP 401"), refused.getMessage());

    RegistryRemote remote = RegistryRemote.of(lab.put("console", "token", console.token()));
    assertTrue(remote.publish(TagStore.PODINFO, "6.5.9"));
    assertFalse(remote.publish(TagStore.PODINFO, "6.5.9"), "published once");
    assertTrue(remote.tags(TagStore.PODINFO).contains("6.5.9"));
    WorkshopException bad = assertThrows(WorkshopException.class, () -> remote.publish(TagStore.PODINFO, "-bad tag"));
    assertTrue(bad.getMessage().contains("not a valid image tag") && bad.hint().contains("6.5.9"), bad.getMessage());

    assertTrue(TagStore.open(tmp.resolve("data/registry")).has(TagStore.PODINFO, "6.5.9"), "kept across a restart");
    assertEquals(TagStore.PODINFO, RegistryRemote.repository("podinfo"));
    assertEquals(TagStore.PODINFO, RegistryRemote.repository("ghcr.io/stefanprodan/podinfo"));
  }

  @Test
  void aLabWithoutItsOwnRegistrySaysSo() {
    LabFile k3s = LabFile.empty().put("cluster", "mode", "k3s");
    WorkshopException e = assertThrows(WorkshopException.class, () -> RegistryRemote.of(k3s));
    assertTrue(e.getMessage().contains("no registry of its own") && e.hint().contains("--cluster embedded"), e.getMessage());
  }

  @Test
  void theKubeletKnowsWhatTheRegistryHas() {
    var images = new KnownImages(tags);
    assertFalse(images.exists("ghcr.io/stefanprodan/podinfo:6.5.77"));
    tags.publish(TagStore.PODINFO, "6.5.77");
    assertTrue(images.exists("ghcr.io/stefanprodan/podinfo:6.5.77"));
    assertTrue(images.exists("nginx:1.27"), "other images are taken to exist");
  }
}
