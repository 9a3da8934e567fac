package dev.gitopsworkshop;

import java.net.BindException;
import org.eclipse.jetty.server.Server;

/**
 * Starting one of the lab's Jetty servers (Git, the cluster's API, the console, the slides): a
 * port in use and any other failure become one plain error, and a server that did not start is
 * stopped again so it leaves no threads behind.
 */
public final class JettyStart {
  private JettyStart() {}

  /**
   * @param what the server in words, for other failures ("the Git server")
   * @param portInUse the message when the port is taken, naming it
   * @param hint what to do then (null: nothing to suggest)
   */
  public static void start(Server server, String what, String portInUse, String hint) {
    try {
      server.start();
    } catch (Exception e) {
      try {
        server.stop();
      } catch (Exception ignored) {
        // it did not start
      }
      if (e instanceof BindException || e.getCause() instanceof BindException) {
        throw new WorkshopException(portInUse, hint, e);
      }
      throw new WorkshopException(what + " could not start: " + e.getMessage(), null, e);
    }
  }
}
