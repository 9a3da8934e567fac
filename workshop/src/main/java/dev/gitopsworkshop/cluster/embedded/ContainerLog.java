package dev.gitopsworkshop.cluster.embedded;

/**
 * A container's output: the lines {@code kubectl logs} shows for it. In-process runtimes (the
 * embedded Flux controllers) write their own log lines here, in the format the real image writes.
 */
@FunctionalInterface
public interface ContainerLog {
  /** Writes one line (without its line break), stamped with the time it was written. */
  void write(String line);

  /** A log nobody reads. */
  ContainerLog DISCARD = line -> {};
}
