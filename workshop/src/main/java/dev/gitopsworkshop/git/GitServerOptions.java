package dev.gitopsworkshop.git;

import dev.gitopsworkshop.lab.DataDir;
import dev.gitopsworkshop.lab.ProjectContent;

/**
 * How to start a {@link GitServer}.
 *
 * @param dataDir where repositories, credentials and the last port live
 * @param bindAddress the address to listen on (loopback unless serving a room)
 * @param port the port, or null for the one used last time with this data dir, else a free one
 * @param maxPushSize the largest pack a push may send, in bytes (0: no limit)
 * @param clusterBaseUrl the server's base URL as the cluster reaches it, or null when it is the
 *     same as the host's (embedded cluster); used for {@code git.clusterUrl} and flux/ seeding
 * @param content the project's content for seeding, or null to {@link ProjectContent#locate()} it
 */
public record GitServerOptions(
    DataDir dataDir,
    String bindAddress,
    Integer port,
    long maxPushSize,
    String clusterBaseUrl,
    ProjectContent content) {
  public static final String LOOPBACK = "127.0.0.1";
  public static final long DEFAULT_MAX_PUSH_SIZE = 100L * 1024 * 1024;

  public static GitServerOptions defaults(DataDir dataDir) {
    return new GitServerOptions(dataDir, LOOPBACK, null, DEFAULT_MAX_PUSH_SIZE, null, null);
  }

  public GitServerOptions withBindAddress(String bind) {
    return new GitServerOptions(dataDir, bind, port, maxPushSize, clusterBaseUrl, content);
  }

  public GitServerOptions withPort(Integer newPort) {
    return new GitServerOptions(dataDir, bindAddress, newPort, maxPushSize, clusterBaseUrl, content);
  }

  public GitServerOptions withMaxPushSize(long size) {
    return new GitServerOptions(dataDir, bindAddress, port, size, clusterBaseUrl, content);
  }

  public GitServerOptions withClusterBaseUrl(String url) {
    return new GitServerOptions(dataDir, bindAddress, port, maxPushSize, url, content);
  }

  public GitServerOptions withContent(ProjectContent projectContent) {
    return new GitServerOptions(dataDir, bindAddress, port, maxPushSize, clusterBaseUrl, projectContent);
  }

  ProjectContent contentOrLocate() {
    return content != null ? content : ProjectContent.locate();
  }
}
