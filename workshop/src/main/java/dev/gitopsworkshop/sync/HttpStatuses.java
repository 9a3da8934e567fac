package dev.gitopsworkshop.sync;

import java.io.IOException;
import java.net.Proxy;
import java.net.URL;
import org.eclipse.jgit.transport.HttpTransport;
import org.eclipse.jgit.transport.http.HttpConnection;
import org.eclipse.jgit.transport.http.JDKHttpConnection;
import org.eclipse.jgit.transport.http.JDKHttpConnectionFactory;

/**
 * The HTTP status of the last answer a Git server gave on this thread, so that a failed fetch is
 * classified by what the server said (401, 403, 404), not by words in an exception's message (a
 * message also holds the URL, whose port may read "401"). JGit's smart HTTP runs on the calling
 * thread; its connections are JGit's own JDK ones, which only also remember the status here.
 */
public final class HttpStatuses {
  private static final ThreadLocal<Integer> LAST = new ThreadLocal<>();

  static {
    HttpTransport.setConnectionFactory(new JDKHttpConnectionFactory() {
      @Override
      public HttpConnection create(URL url) throws IOException {
        return new Recording(url, null);
      }

      @Override
      public HttpConnection create(URL url, Proxy proxy) throws IOException {
        return new Recording(url, proxy);
      }
    });
  }

  private HttpStatuses() {}

  /** Forgets the last status of this thread: call before a Git operation. */
  public static void reset() {
    LAST.remove();
  }

  /** The last HTTP status a Git server answered on this thread, or 0 when none answered. */
  static int last() {
    Integer status = LAST.get();
    return status == null ? 0 : status;
  }

  private static final class Recording extends JDKHttpConnection {
    Recording(URL url, Proxy proxy) throws IOException {
      super(url, proxy);
    }

    @Override
    public int getResponseCode() throws IOException {
      int code = super.getResponseCode();
      LAST.set(code);
      return code;
    }
  }
}
