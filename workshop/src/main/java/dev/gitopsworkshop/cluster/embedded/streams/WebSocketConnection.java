package dev.gitopsworkshop.cluster.embedded.streams;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The server side of a WebSocket (RFC 6455) on a connection already upgraded: the payload of the
 * client's data messages read as one byte stream (pings answered, a close echoed), and binary
 * messages written. Kubernetes' streaming protocols need no more: port-forward tunnels SPDY in
 * binary messages.
 */
final class WebSocketConnection {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(WebSocketConnection.class);
  private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  private static final int MAX_FRAME = 16 * 1024 * 1024;
  private final DataInputStream in;
  private final OutputStream out;
  private volatile boolean closed;

  WebSocketConnection(InputStream in, OutputStream out) {
    this.in = new DataInputStream(in);
    this.out = out;
  }

  /** The Sec-WebSocket-Accept answer to a client's Sec-WebSocket-Key. */
  static String accept(String key) {
    try {
      byte[] sha1 = MessageDigest.getInstance("SHA-1").digest((key.trim() + GUID).getBytes(StandardCharsets.US_ASCII));
      return Base64.getEncoder().encodeToString(sha1);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The client's data, message after message, as one stream; it ends when the client closes. */
  InputStream input() {
    return new InputStream() {
      private byte[] payload = new byte[0];
      private int pos;

      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        while (pos >= payload.length) {
          byte[] next = nextData();
          if (next == null) {
            return -1;
          }
          payload = next;
          pos = 0;
        }
        int n = Math.min(len, payload.length - pos);
        System.arraycopy(payload, pos, b, off, n);
        pos += n;
        return n;
      }
    };
  }

  /** The next data frame's payload, answering control frames on the way; null at the end. */
  private byte[] nextData() throws IOException {
    while (true) {
      int b0;
      try {
        b0 = in.readUnsignedByte();
      } catch (EOFException e) {
        return null;
      }
      int opcode = b0 & 0x0f;
      int b1 = in.readUnsignedByte();
      boolean masked = (b1 & 0x80) != 0;
      long length = b1 & 0x7f;
      if (length == 126) {
        length = in.readUnsignedShort();
      } else if (length == 127) {
        length = in.readLong();
      }
      if (length > MAX_FRAME || length < 0) {
        close(1009, "message too big");
        throw new IOException("a WebSocket frame of " + length + " bytes");
      }
      byte[] mask = new byte[4];
      if (masked) {
        in.readFully(mask);
      }
      byte[] payload = new byte[(int) length];
      in.readFully(payload);
      if (masked) {
        for (int i = 0; i < payload.length; i++) {
          payload[i] ^= mask[i % 4];
        }
      }
      switch (opcode) {
        case 0x0, 0x1, 0x2 -> {
          return payload;
        }
        case 0x8 -> {
          close(1000, "");
          return null;
        }
        case 0x9 -> frame(0xA, payload, 0, payload.length);
        default -> {
          // pong or reserved: nothing to do
        }
      }
    }
  }

  void sendBinary(byte[] data, int off, int len) throws IOException {
    frame(0x2, data, off, len);
  }

  /** Sends a close frame once; the peer answers it and ends the connection. */
  void close(int code, String reason) {
    if (closed) {
      return;
    }
    closed = true;
    byte[] r = reason.getBytes(StandardCharsets.UTF_8);
    byte[] payload = new byte[2 + r.length];
    payload[0] = (byte) (code >> 8);
    payload[1] = (byte) code;
    System.arraycopy(r, 0, payload, 2, r.length);
    try {
      frame(0x8, payload, 0, payload.length);
    } catch (IOException e) {
      LOG.debug("closing a WebSocket whose connection is gone: {}", e.toString());
    }
  }

  private synchronized void frame(int opcode, byte[] data, int off, int len) throws IOException {
    byte[] header;
    if (len < 126) {
      header = new byte[] {(byte) (0x80 | opcode), (byte) len};
    } else if (len < 65536) {
      header = new byte[] {(byte) (0x80 | opcode), 126, (byte) (len >> 8), (byte) len};
    } else {
      header = new byte[10];
      header[0] = (byte) (0x80 | opcode);
      header[1] = 127;
      for (int i = 0; i < 8; i++) {
        header[9 - i] = (byte) ((long) len >> (8 * i));
      }
    }
    out.write(header);
    out.write(data, off, len);
    out.flush();
  }

  /** Writes each flush (or full buffer) as one binary message. */
  OutputStream output() {
    return new OutputStream() {
      private final java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();

      @Override
      public synchronized void write(int b) {
        buffer.write(b);
      }

      @Override
      public synchronized void write(byte[] b, int off, int len) {
        buffer.write(b, off, len);
      }

      @Override
      public synchronized void flush() throws IOException {
        if (buffer.size() > 0) {
          byte[] bytes = buffer.toByteArray();
          buffer.reset();
          sendBinary(bytes, 0, bytes.length);
        }
      }
    };
  }
}
