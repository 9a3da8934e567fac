package dev.gitopsworkshop.cluster.embedded;

/** What a {@link ContainerRuntime} is told about the container it starts, and how to reach the API. */
public record ContainerContext(
    String namespace, String podName, String containerName, String image, String apiUrl, String token, String caPem) {}
