package dev.gitopsworkshop.tutorial;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * What makes the guided runner look again: changes in the cluster (watches on the kinds the
 * tutorial's checks read) and pushes to the workshop repository (the Git server's server-sent
 * events). Not a fixed poll; a slow safety re-check is the caller's.
 */
final class LabEvents implements AutoCloseable {
  private static final List<String> WATCHED = List.of(
      "/apis/apps/v1/deployments", "/api/v1/pods", "/api/v1/secrets",
      "/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
      "/apis/source.toolkit.fluxcd.io/v1/gitrepositories", "/apis/kustomize.toolkit.fluxcd.io/v1/kustomizations");
  private final Semaphore changed = new Semaphore(0);
  private final List<Thread> threads = new ArrayList<>();
  private volatile boolean running = true;

  LabEvents(TutorialContext context) {
    for (String path : WATCHED) {
      start("watch " + path, () -> context.kube().watch(path, e -> changed.release(), () -> running));
    }
    String events = context.lab().get("git", "eventsUrl");
    if (events != null) {
      start("git events", () -> followPushes(events, context.lab().gitUsername(), context.lab().gitPassword()));
    }
  }

  private void start(String name, Runnable r) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    threads.add(t);
    t.start();
  }

  private void followPushes(String url, String user, String password) {
    HttpClient http = HttpClient.newHttpClient();
    String auth = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    while (running) {
      try {
        HttpResponse<java.util.stream.Stream<String>> resp = http.send(
            HttpRequest.newBuilder(URI.create(url)).header("Authorization", auth).build(), HttpResponse.BodyHandlers.ofLines());
        resp.body().filter(l -> l.startsWith("data: ")).forEach(l -> changed.release());
      } catch (Exception e) {
        try {
          Thread.sleep(1000);
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }

  /** Wakes the waiter (a key was pressed). */
  void wake() {
    changed.release();
  }

  /** Waits until something changed, or the timeout passed. */
  void await(long millis) throws InterruptedException {
    if (changed.tryAcquire(millis, TimeUnit.MILLISECONDS)) {
      changed.drainPermits();
    }
  }

  @Override
  public void close() {
    running = false;
    threads.forEach(Thread::interrupt);
  }
}
