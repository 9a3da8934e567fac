package dev.gitopsworkshop.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.sun.net.httpserver.HttpServer;
import dev.gitopsworkshop.cluster.DockerProbe;
import dev.gitopsworkshop.support.Cli;
import dev.gitopsworkshop.support.FluxReleaseFixture;
import dev.gitopsworkshop.support.RunningLab;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code workshop prefetch} fills the per-user cache, and a later real-cluster lab uses it without
 * the network. A local HTTP server stands in for GitHub's release download (no internet here).
 */
class PrefetchIT {
  @TempDir Path tmp;

  @Test
  void prefetchFromALocalServerFillsTheCacheThatAKubeconfigLabThenUsesOffline() throws Exception {
    assumeFalse(DockerProbe.ask().available(), "this machine has Docker: prefetch would pull images");
    byte[] manifest = Files.readAllBytes(FluxReleaseFixture.file());
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v2.9.4/install.yaml", exchange -> {
      exchange.sendResponseHeaders(200, manifest.length);
      exchange.getResponseBody().write(manifest);
      exchange.close();
    });
    server.start();
    Path cache = tmp.resolve("cache");
    Map<String, String> env = Map.of("XDG_CACHE_HOME", cache.toString());
    try (RunningLab existing = RunningLab.up(tmp.resolve("a"))) {
      Cli cli = existing.cli();
      Cli.Result fetched = cli.run(tmp, env, cli.workshop("prefetch", "--flux-url",
          "http://127.0.0.1:" + server.getAddress().getPort() + "/v2.9.4/install.yaml"));
      server.stop(0);
      assertEquals(0, fetched.exitCode(), fetched.toString());
      Path cached = cache.resolve("gitops-workshop/flux-v2.9.4-install.yaml");
      assertEquals(Files.readString(FluxReleaseFixture.file()), Files.readString(cached));
      assertTrue(fetched.err().contains("skipped the images (k3s, Flux's controllers, podinfo): no Docker engine answers"), fetched.err());

      Cli.Result run = cli.run(tmp, env, cli.workshop("run", "--auto", "--to", "1", "--cluster", "kubeconfig",
          "--kubeconfig", existing.kubeconfig().toString(), "--data-dir", tmp.resolve("b").toString()));
      assertEquals(0, run.exitCode(), run.toString());
      assertTrue(run.err().contains("Flux's install manifest: " + cached + " (cached; Flux v2.9.4, 7 controllers)"), run.err());
    }
  }

  @Test
  void aDownloadThatFailsSaysWhatPrefetchCanDoNotWhatItCannot() throws Exception {
    Files.createDirectories(tmp.resolve("home"));
    Cli cli = new Cli(tmp.resolve("home"), tmp);
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    String url = "http://127.0.0.1:" + closed + "/install.yaml";
    Cli.Result r = cli.run(tmp, Map.of("XDG_CACHE_HOME", tmp.resolve("cache").toString()), cli.workshop("prefetch", "--flux-url", url));
    assertEquals(1, r.exitCode(), r.toString());
    assertTrue(r.err().contains("cannot download Flux's install manifest from " + url), r.err());
    assertTrue(r.err().contains("download from a mirror with --flux-url URL"), r.err());
    assertTrue(r.err().contains("give 'run' and 'up' Flux's install.yaml with --flux-manifests FILE"), r.err());
    assertFalse(r.err().contains("run 'scripts/workshop prefetch'"), "prefetch does not suggest itself\n" + r.err());
  }
}
