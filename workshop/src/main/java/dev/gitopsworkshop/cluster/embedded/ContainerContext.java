package dev.gitopsworkshop.cluster.embedded;

/**
 * What a {@link ContainerRuntime} is told about the container it starts, how to reach the API, and
 * where its output goes.
 */
public record ContainerContext(
    String namespace,
    String podName,
    String containerName,
    String image,
    String apiUrl,
    String token,
    String caPem,
    ContainerLog log) {}
