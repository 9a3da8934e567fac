package dev.gitopsworkshop;

import java.net.BindException;
import org.eclipse.jetty.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starting one of the lab's Jetty servers (Git, the cluster's API, the console, the slides): each
 * gets the {@link HeaderDeadline}; a port in use and any other failure become one plain error, and
 * a server that did not start is stopped again so it leaves no threads behind. Stopping, a server
 * still lets requests under way finish (its stop timeout), but closes connections that sit idle
 * after {@value #SHUTDOWN_IDLE_MILLIS} ms rather than Jetty's second: clients that keep their
 * connections open (fabric8's and JGit's pools) made every lab's stop wait out that second.
 */
public final class JettyStart {
  private static final Logger LOG = LoggerFactory.getLogger(JettyStart.class);
  static final long SHUTDOWN_IDLE_MILLIS = 100;

  private JettyStart() {}

  /**
   * @param what the server in words, for other failures ("the Git server")
   * @param portInUse the message when the port is taken, naming it
   * @param hint what to do then (null: nothing to suggest)
   */
  public static void start(Server server, String what, String portInUse, String hint) {
    HeaderDeadline.install(server, what, HeaderDeadline.DEFAULT);
    for (org.eclipse.jetty.server.Connector connector : server.getConnectors()) {
      if (connector instanceof org.eclipse.jetty.server.AbstractConnector c) {
        c.setShutdownIdleTimeout(SHUTDOWN_IDLE_MILLIS);
      }
    }
    try {
      server.start();
    } catch (Exception e) {
      try {
        server.stop();
      } catch (Exception stopFailure) {
        LOG.debug("{} did not start, and stopping it failed too", what, stopFailure);
      }
      if (e instanceof BindException || e.getCause() instanceof BindException) {
        throw new WorkshopException(portInUse, hint, e);
      }
      throw new WorkshopException(what + " could not start: " + e.getMessage(), null, e);
    }
  }
}
