package dev.gitopsworkshop.git;

import dev.gitopsworkshop.WorkshopException;
import dev.gitopsworkshop.lab.DataDir;
import dev.gitopsworkshop.lab.LabFile;
import jakarta.servlet.DispatcherType;
import java.net.BindException;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jgit.http.server.GitServlet;

/**
 * The lab's Git server: JGit smart HTTP on Jetty, basic auth on every request, the workshop
 * repository seeded on first start, push events in process and at {@code /-/events}.
 */
public final class GitServer implements AutoCloseable {
  private final Server jetty;
  private final EventStreamServlet eventStream;
  private final AccountStore accounts;
  private final PushEvents events;
  private final String baseUrl;
  private final String clusterBaseUrl;

  private GitServer(
      Server jetty,
      EventStreamServlet eventStream,
      AccountStore accounts,
      PushEvents events,
      String baseUrl,
      String clusterBaseUrl) {
    this.jetty = jetty;
    this.eventStream = eventStream;
    this.accounts = accounts;
    this.events = events;
    this.baseUrl = baseUrl;
    this.clusterBaseUrl = clusterBaseUrl;
  }

  public static GitServer start(GitServerOptions options) {
    DataDir dir = options.dataDir().ensureWritable();
    AccountStore accounts = AccountStore.open(dir);
    Repositories repositories = new Repositories(dir.git());
    PushEvents events = new PushEvents();
    ServerState saved = ServerState.load(dir);
    int port = options.port() != null ? options.port() : saved != null ? saved.port() : 0;

    QueuedThreadPool threads = new QueuedThreadPool(200, 8);
    threads.setName("git-server");
    threads.setDaemon(true);
    Server jetty = new Server(threads);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    // Let odd paths through to DotDotGuard, which answers 404 instead of Jetty's 400.
    http.setUriCompliance(UriCompliance.UNSAFE);
    http.addCustomizer(DotDotGuard.customizer());
    ServerConnector connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
    connector.setHost(options.bindAddress());
    connector.setPort(port);
    connector.setAcceptQueueSize(128);
    jetty.addConnector(connector);

    EventStreamServlet eventStream = new EventStreamServlet(events);
    ServletContextHandler context = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
    context.setContextPath("/");
    context.addFilter(
        new FilterHolder(new BasicAuthFilter(accounts)), "/*", EnumSet.of(DispatcherType.REQUEST));
    context.addFilter(
        new FilterHolder(new BadRequestFilter()), "/*", EnumSet.of(DispatcherType.REQUEST));
    context.addServlet(new ServletHolder("events", eventStream), "/-/events");
    GitServlet git = new GitServlet();
    git.setRepositoryResolver(new AccessResolver(repositories));
    git.setReceivePackFactory(new GuardedReceivePackFactory(options.maxPushSize(), events));
    context.addServlet(new ServletHolder("git", git), "/*");
    jetty.setHandler(new DotDotGuard(context));
    jetty.setStopTimeout(2000);

    startOrExplain(jetty, options.bindAddress(), port);
    int actual = connector.getLocalPort();
    String baseUrl = ServerState.baseUrl(options.bindAddress(), actual);
    new ServerState(actual, baseUrl).save(dir);
    String clusterBase = options.clusterBaseUrl() != null ? options.clusterBaseUrl() : baseUrl;
    GitServer server = new GitServer(jetty, eventStream, accounts, events, baseUrl, clusterBase);
    try {
      if (!repositories.exists(RepositoryName.WORKSHOP)) {
        repositories.ensureSeeded(
            RepositoryName.WORKSHOP,
            options.contentOrLocate(),
            server.clusterUrl(RepositoryName.WORKSHOP));
      }
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  private static void startOrExplain(Server jetty, String bind, int port) {
    try {
      jetty.start();
    } catch (Exception e) {
      stopQuietly(jetty);
      for (Throwable t = e; t != null; t = t.getCause()) {
        if (t instanceof BindException) {
          throw new WorkshopException(
              "port " + port + " on " + bind + " is already in use",
              "stop what uses it, or choose another port with --port",
              e);
        }
      }
      throw new WorkshopException(
          "the Git server could not start on " + bind + ":" + port + ": " + e.getMessage(),
          "check --bind and --port",
          e);
    }
  }

  /** {@code http://HOST:PORT}, without a trailing slash. */
  public String baseUrl() {
    return baseUrl;
  }

  public int port() {
    return ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
  }

  /** The URL of a repository, e.g. {@code repositoryUrl("workshop.git")}. */
  public String repositoryUrl(String repository) {
    return baseUrl + "/" + repository;
  }

  /** The URL of a repository as the cluster reaches it. */
  public String clusterUrl(String repository) {
    return clusterBaseUrl + "/" + repository;
  }

  public String eventsUrl() {
    return baseUrl + "/-/events";
  }

  public Account participant() {
    return accounts.participant();
  }

  public Account operator() {
    return accounts.operator();
  }

  public PushEvents pushEvents() {
    return events;
  }

  /** Puts the {@code git} section of lab.json (the contract's keys) into {@code lab}. */
  public LabFile describeIn(LabFile lab) {
    return lab.put("git", "url", repositoryUrl(RepositoryName.WORKSHOP))
        .put("git", "username", participant().username())
        .put("git", "password", participant().password())
        .put("git", "operatorUsername", operator().username())
        .put("git", "operatorPassword", operator().password())
        .put("git", "clusterUrl", clusterUrl(RepositoryName.WORKSHOP))
        .put("git", "eventsUrl", eventsUrl());
  }

  @Override
  public void close() {
    eventStream.closeStreams();
    stopQuietly(jetty);
  }

  private static void stopQuietly(Server jetty) {
    try {
      jetty.stop();
    } catch (Exception e) {
      // stopping is best effort; the port is released with the process at the latest
    }
  }

  /** Blocks until the server has stopped. */
  public void awaitStop() throws InterruptedException {
    jetty.join();
  }
}
