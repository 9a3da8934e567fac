package dev.gitopsworkshop.git;

import dev.gitopsworkshop.JettyStart;
import dev.gitopsworkshop.WorkshopException;
import dev.gitopsworkshop.state.DataDir;
import dev.gitopsworkshop.state.GitCredentialStore;
import dev.gitopsworkshop.state.ProjectContent;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jgit.errors.RepositoryNotFoundException;
import org.eclipse.jgit.http.server.GitServlet;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.RepositoryCache;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.eclipse.jgit.transport.ReceivePack;
import org.eclipse.jgit.util.FS;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lab's Git server: JGit smart HTTP on embedded Jetty, bare repositories under
 * {@code <data-dir>/git/}, basic auth on every request, and a push-event stream.
 */
public final class GitServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GitServer.class);
  /** Default refusal size for one push (its pack). */
  public static final long DEFAULT_MAX_PUSH_BYTES = 100L * 1024 * 1024;

  /**
   * How to start the server.
   *
   * @param port null: the port used last time with this data dir, else any free port
   * @param clusterGitUrl how the cluster reaches the workshop repository (null: the server's own
   *     URL), written into the seeded {@code flux/} files
   * @param eventStreams how many push-event streams an account and the server may hold (null: the
   *     defaults)
   */
  public record Options(
      DataDir dataDir, String bindAddress, Integer port, long maxPushBytes, ProjectContent content,
      String clusterGitUrl, PushEventStream.Limits eventStreams) {
    public Options {
      if (bindAddress == null) {
        bindAddress = "127.0.0.1";
      }
      if (maxPushBytes <= 0) {
        throw new IllegalArgumentException("a push size limit must be positive, not " + maxPushBytes);
      }
      if (eventStreams == null) {
        eventStreams = PushEventStream.Limits.DEFAULT;
      }
    }

    public Options(DataDir dataDir, String bindAddress, Integer port, long maxPushBytes, ProjectContent content,
        String clusterGitUrl) {
      this(dataDir, bindAddress, port, maxPushBytes, content, clusterGitUrl, null);
    }
  }

  /**
   * A servlet served beside Git on the same port, at {@code path} and below (a room's board and
   * API). An open route needs no account; any other gets the request's account from
   * {@link #account}.
   */
  public record Route(String path, jakarta.servlet.http.HttpServlet servlet, boolean open) {}

  private final Server server;
  private final Path repositories;
  private final GitCredentials credentials;
  private final PushEvents pushEvents;
  private final PushEventStream eventStream;
  private final AutoGc autoGc;
  private final String host;
  private final int port;
  private final List<String> repairs;

  private GitServer(
      Server server, Path repositories, GitCredentials credentials, PushEvents pushEvents, PushEventStream eventStream,
      AutoGc autoGc, String host, int port, List<String> repairs) {
    this.autoGc = autoGc;
    this.repairs = repairs;
    this.server = server;
    this.repositories = repositories;
    this.credentials = credentials;
    this.pushEvents = pushEvents;
    this.eventStream = eventStream;
    this.host = host;
    this.port = port;
  }

  public static GitServer start(Options options) {
    return start(options, java.util.List.of());
  }

  /** Starts the server with {@code routes} served beside Git. */
  public static GitServer start(Options options, java.util.List<Route> routes) {
    DataDir dataDir = options.dataDir().ensureWritable();
    GitCredentials credentials = GitCredentials.loadOrCreate(dataDir);
    Path repos = dataDir.git();
    measureFileStoreInBackground(repos);
    int port = options.port() != null ? options.port() : credentials.port().orElse(0);
    String host = advertisedHost(options.bindAddress());
    PushEvents pushEvents = new PushEvents();
    List<String> repairs = checkRepositories(repos, credentials);
    PushEventStream eventStream = new PushEventStream(pushEvents, options.eventStreams());

    QueuedThreadPool threads = new QueuedThreadPool(256, 8);
    threads.setName("git-server");
    threads.setDaemon(true);
    Server server = new Server(threads);
    org.eclipse.jetty.server.HttpConfiguration http = new org.eclipse.jetty.server.HttpConfiguration();
    http.setUriCompliance(org.eclipse.jetty.http.UriCompliance.UNSAFE);
    http.setSendServerVersion(false);
    ServerConnector connector =
        new ServerConnector(server, new org.eclipse.jetty.server.HttpConnectionFactory(http));
    connector.setHost(options.bindAddress());
    connector.setPort(port);
    connector.setAcceptQueueSize(128);
    server.addConnector(connector);

    ServletContextHandler context = new ServletContextHandler();
    context.setContextPath("/");
    context.addFilter(new FilterHolder(new BasicAuthFilter(credentials, routes)), "/*", EnumSet.of(DispatcherType.REQUEST));
    context.addFilter(new FilterHolder(new BadRequestFilter()), "/*", EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(new ServletHolder(eventStream), "/-/events");
    for (Route route : routes) {
      context.addServlet(new ServletHolder(route.servlet()), route.path() + "/*");
    }
    AutoGc autoGc = new AutoGc("git-server");
    context.addServlet(new ServletHolder(gitServlet(repos, options.maxPushBytes(), pushEvents, autoGc)), "/*");
    server.setHandler(new NotFoundForDotDot(context));
    server.setStopTimeout(2000);

    try {
      Files.createDirectories(repos);
    } catch (IOException e) {
      throw new WorkshopException("cannot create " + repos + ": " + e.getMessage(), "check the data dir's permissions", e);
    }
    JettyStart.start(server, "the Git server",
        "port " + port + " on " + options.bindAddress() + " is already in use, so the Git server cannot start",
        "stop what uses it, or choose another port with --port");
    int actual = connector.getLocalPort();
    credentials.rememberPort(actual);
    GitServer git = new GitServer(server, repos, credentials, pushEvents, eventStream, autoGc, host, actual, repairs);
    try {
      GitCredentialStore.write(dataDir, git.baseUrl(), credentials.participant().username(), credentials.participant().password());
      String clusterUrl =
          options.clusterGitUrl() != null ? options.clusterGitUrl() : git.repositoryUrl(GitCredentials.WORKSHOP_REPOSITORY);
      WorkshopRepository.createIfMissing(repos.resolve(GitCredentials.WORKSHOP_REPOSITORY), options.content(), clusterUrl);
      for (Account account : credentials.room()) {
        WorkshopRepository.createIfMissing(repos.resolve(account.repository()), options.content(), clusterUrl);
      }
    } catch (IOException | RuntimeException e) {
      git.close();
      throw new WorkshopException("cannot create the workshop repository: " + e.getMessage(), null, e);
    }
    return git;
  }

  /** The repositories there are, checked before anything is served (see {@link RepositoryCheck}). */
  private static List<String> checkRepositories(Path repos, GitCredentials credentials) {
    List<String> repairs = new ArrayList<>();
    Instant processStart = RepositoryCheck.processStart();
    List<String> names = new ArrayList<>(List.of(GitCredentials.WORKSHOP_REPOSITORY));
    credentials.room().forEach(account -> names.add(account.repository()));
    for (String name : names) {
      Path dir = repos.resolve(name);
      if (Files.isDirectory(dir)) {
        repairs.addAll(RepositoryCheck.run(dir, processStart));
      }
    }
    return List.copyOf(repairs);
  }

  /**
   * A path that tries to climb out with {@code ..} names no repository: 404, like any unknown one.
   * (A path that climbs above the server's root is refused earlier by Jetty's URI parser, with 400.)
   */
  private static final class NotFoundForDotDot extends org.eclipse.jetty.server.Handler.Wrapper {
    NotFoundForDotDot(org.eclipse.jetty.server.Handler handler) {
      super(handler);
    }

    @Override
    public boolean handle(
        org.eclipse.jetty.server.Request request,
        org.eclipse.jetty.server.Response response,
        org.eclipse.jetty.util.Callback callback)
        throws Exception {
      String raw = request.getHttpURI().getPath();
      if (raw != null && (raw.contains("/../") || raw.endsWith("/..") || raw.contains("%2e%2e") || raw.contains("%2E%2E"))) {
        org.eclipse.jetty.server.Response.writeError(request, response, callback, 404, "no such repository");
        return true;
      }
      return super.handle(request, response, callback);
    }
  }

  private static GitServlet gitServlet(Path repos, long maxPushBytes, PushEvents events, AutoGc autoGc) {
    GitServlet servlet = new GitServlet();
    servlet.setRepositoryResolver(
        (HttpServletRequest req, String name) -> {
          Account account = (Account) req.getAttribute(BasicAuthFilter.ACCOUNT_ATTRIBUTE);
          // Unknown, malformed and other people's repositories all look the same: not found.
          if (!RepositoryNames.isValidRepository(name) || account == null || !GitCredentials.mayUse(account, name)) {
            throw new RepositoryNotFoundException(name);
          }
          Path dir = repos.resolve(name);
          if (!Files.exists(dir.resolve("HEAD"))) {
            throw new RepositoryNotFoundException(name);
          }
          req.setAttribute(RepositoryNames.class.getName(), name);
          try {
            return RepositoryCache.open(RepositoryCache.FileKey.exact(dir.toFile(), FS.DETECTED), true);
          } catch (IOException e) {
            throw new RepositoryNotFoundException(name, e);
          }
        });
    servlet.setReceivePackFactory(
        (HttpServletRequest req, Repository db) -> {
          Account account = (Account) req.getAttribute(BasicAuthFilter.ACCOUNT_ATTRIBUTE);
          String name = (String) req.getAttribute(RepositoryNames.class.getName());
          try {
            AutoGc.replaceJGits(db);
          } catch (IOException e) {
            LOG.warn("cannot turn JGit's own collection after a push off in {}", db.getDirectory(), e);
          }
          ReceivePack rp = new ReceivePack(db);
          rp.setAllowNonFastForwards(false);
          rp.setAllowDeletes(true);
          rp.setMaxPackSizeLimit(maxPushBytes);
          rp.setRefLogIdent(new org.eclipse.jgit.lib.PersonIdent(account.username(), account.username() + "@gitops-workshop.local"));
          rp.setPreReceiveHook(
              (pack, commands) -> {
                for (ReceiveCommand cmd : commands) {
                  if (cmd.getType() == ReceiveCommand.Type.DELETE
                      && cmd.getRefName().equals("refs/heads/" + WorkshopRepository.BRANCH)) {
                    cmd.setResult(ReceiveCommand.Result.REJECTED_NODELETE, "the main branch cannot be deleted");
                  }
                }
              });
          rp.setPostReceiveHook(
              (pack, commands) -> {
                Instant now = Instant.now();
                for (ReceiveCommand cmd : commands) {
                  if (cmd.getResult() == ReceiveCommand.Result.OK) {
                    events.publish(
                        new PushEvent(name, cmd.getRefName(), cmd.getOldId().name(), cmd.getNewId().name(), account.username(), now));
                  }
                }
                autoGc.collectSoon(db.getDirectory().toPath());
              });
          return rp;
        });
    return servlet;
  }

  /**
   * JGit measures the file system's timestamp resolution on its first write in a process (about
   * 3 s) and keeps writing a probe file for that time, recreating the probe's folder if it is gone.
   * Measuring in the background keeps the first push quick; measuring in the folder of the
   * repositories, which lives as long as the lab, keeps the probe out of a repository being created
   * (it would bring a moved-away temporary folder back).
   */
  private static void measureFileStoreInBackground(Path repos) {
    FS.FileStoreAttributes.setBackground(true);
    try {
      Files.createDirectories(repos);
    } catch (IOException e) {
      throw new WorkshopException("cannot create " + repos + ": " + e.getMessage(), "check the data directory's permissions", e);
    }
    FS.FileStoreAttributes.get(repos);
  }

  private static String advertisedHost(String bind) {
    if (bind.equals("0.0.0.0") || bind.equals("::") || bind.equals("[::]")) {
      try {
        return InetAddress.getLocalHost().getHostName();
      } catch (UnknownHostException e) {
        return "127.0.0.1";
      }
    }
    return bind.contains(":") && !bind.startsWith("[") ? "[" + bind + "]" : bind;
  }

  /** The account a request to a route came with (null on an open route). */
  public static Account account(HttpServletRequest request) {
    return (Account) request.getAttribute(BasicAuthFilter.ACCOUNT_ATTRIBUTE);
  }

  public int port() {
    return port;
  }

  /** What the start-up check of the repositories repaired, one line each, for the user to read. */
  public List<String> repairs() {
    return repairs;
  }

  /** {@code http://host:port/}. */
  public String baseUrl() {
    return "http://" + host + ":" + port + "/";
  }

  public String repositoryUrl(String repository) {
    return baseUrl() + repository;
  }

  /** Where a repository of this server lives on disk. */
  public Path repositoryPath(String repository) {
    return repositories.resolve(repository);
  }

  public String eventsUrl() {
    return baseUrl() + "-/events";
  }

  public Account participant() {
    return credentials.participant();
  }

  public Account operator() {
    return credentials.operator();
  }

  public GitCredentials credentials() {
    return credentials;
  }

  public PushEvents pushEvents() {
    return pushEvents;
  }

  @Override
  public void close() {
    eventStream.stop();
    stopQuietly(server);
    autoGc.close();
    RepositoryCache.clear();
  }

  private static void stopQuietly(Server server) {
    try {
      server.stop();
    } catch (Exception e) {
      LOG.warn("the Git server did not stop cleanly", e);
    }
  }
}
