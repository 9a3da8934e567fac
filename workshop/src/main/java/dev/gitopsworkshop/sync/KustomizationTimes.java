package dev.gitopsworkshop.sync;

import com.fasterxml.jackson.databind.JsonNode;

/** A Kustomization's durations with Flux's defaults ({@code GetTimeout}, {@code GetRetryInterval}). */
final class KustomizationTimes {
  private static final long MIN_TIMEOUT_MILLIS = 30_000;

  private KustomizationTimes() {}

  static long intervalMillis(JsonNode ks) {
    return FluxStatus.intervalMillis(ks);
  }

  /** {@code spec.timeout}, else the interval less 30 s; never under 30 s. */
  static long timeoutMillis(JsonNode ks) {
    long timeout = FluxStatus.durationMillis(ks.at("/spec/timeout").asText(""), intervalMillis(ks) - 30_000);
    return Math.max(timeout, MIN_TIMEOUT_MILLIS);
  }

  /** {@code spec.retryInterval}, else the interval: how soon a failed reconcile is tried again. */
  static long retryMillis(JsonNode ks) {
    return FluxStatus.durationMillis(ks.at("/spec/retryInterval").asText(""), intervalMillis(ks));
  }
}
