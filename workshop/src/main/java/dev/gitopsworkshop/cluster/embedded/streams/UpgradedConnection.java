package dev.gitopsworkshop.cluster.embedded.streams;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.function.BiFunction;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.FutureCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection after {@code 101 Switching Protocols}, taken over from Jetty's HTTP/1.1 handling
 * (the servlet API's upgraded streams see the end of the GET request, not the bytes after it): the
 * session runs on a thread of its own with blocking streams over the endpoint, the TLS included,
 * until it ends. Four hours without a byte close it, as a kubelet's streaming idle timeout does.
 */
final class UpgradedConnection extends AbstractConnection implements Connection.UpgradeTo {
  private static final Logger LOG = LoggerFactory.getLogger(UpgradedConnection.class);
  static final long IDLE_TIMEOUT_MILLIS = 4 * 60 * 60 * 1000L;
  private final BiFunction<InputStream, OutputStream, Runnable> session;
  private final ExecutorService threads;
  private ByteBuffer pending = ByteBuffer.allocate(0);

  UpgradedConnection(EndPoint endPoint, ExecutorService threads, BiFunction<InputStream, OutputStream, Runnable> session) {
    super(endPoint, threads);
    this.session = session;
    this.threads = threads;
  }

  @Override
  public void onUpgradeTo(ByteBuffer buffered) {
    if (buffered != null && buffered.hasRemaining()) {
      pending = ByteBuffer.allocate(buffered.remaining()).put(buffered).flip();
    }
  }

  @Override
  public void onOpen() {
    super.onOpen();
    getEndPoint().setIdleTimeout(IDLE_TIMEOUT_MILLIS);
    threads.submit(() -> {
      try {
        session.apply(new In(), new Out()).run();
      } catch (RuntimeException e) {
        LOG.warn("a streaming session failed: {}", e.toString());
      } finally {
        getEndPoint().close();
      }
    });
  }

  private final Object fillable = new Object();
  private boolean readable;

  /** Jetty says there is something to read: wake the session's reader. */
  @Override
  public void onFillable() {
    synchronized (fillable) {
      readable = true;
      fillable.notifyAll();
    }
  }

  @Override
  public void onFillInterestedFailed(Throwable cause) {
    LOG.debug("waiting for data failed: {}", cause.toString());
    onFillable();
  }

  /** Blocks until Jetty reports the endpoint readable. */
  private void awaitFillable() throws IOException {
    synchronized (fillable) {
      readable = false;
      fillInterested();
      try {
        while (!readable) {
          fillable.wait();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted");
      }
    }
  }

  private final class In extends InputStream {
    private final ByteBuffer buffer = ByteBuffer.allocate(16 * 1024).limit(0);

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (pending.hasRemaining()) {
        int n = Math.min(len, pending.remaining());
        pending.get(b, off, n);
        return n;
      }
      while (!buffer.hasRemaining()) {
        buffer.clear().limit(0); // Jetty fills after the limit of a buffer kept ready for reading
        int n = getEndPoint().fill(buffer);
        if (n < 0) {
          return -1;
        }
        if (n == 0) {
          awaitFillable();
        }
      }
      int n = Math.min(len, buffer.remaining());
      buffer.get(b, off, n);
      return n;
    }
  }

  private final class Out extends OutputStream {
    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
      FutureCallback written = new FutureCallback();
      getEndPoint().write(written, ByteBuffer.wrap(b, off, len));
      await(written);
    }
  }

  private static void await(FutureCallback callback) throws IOException {
    try {
      callback.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted");
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    }
  }
}
