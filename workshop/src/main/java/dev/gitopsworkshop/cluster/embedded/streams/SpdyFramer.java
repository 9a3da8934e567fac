package dev.gitopsworkshop.cluster.embedded.streams;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * SPDY/3.1 frames as Kubernetes' streaming connections carry them (the Go client's framer): control
 * frames (SYN_STREAM, SYN_REPLY, RST_STREAM, SETTINGS, PING, GOAWAY, HEADERS, WINDOW_UPDATE) and
 * data frames, header blocks compressed with zlib and SPDY/3's dictionary, one compression context
 * per direction for the whole connection. Writes are serialized; one thread reads.
 */
final class SpdyFramer {
  static final int SYN_STREAM = 1;
  static final int SYN_REPLY = 2;
  static final int RST_STREAM = 3;
  static final int PING = 6;
  static final int GOAWAY = 7;
  static final int FLAG_FIN = 1;
  static final int MAX_DATA = 32 * 1024;
  /** SPDY/3's header compression dictionary (1423 bytes). */
  static final byte[] DICTIONARY = dictionary();

  /** One frame read: a control frame (type > 0) or a data frame (type 0). */
  record Frame(int type, int flags, int streamId, Map<String, List<String>> headers, byte[] data, int value) {
    boolean fin() {
      return (flags & FLAG_FIN) != 0;
    }
  }

  private final DataInputStream in;
  private final OutputStream out;
  private final Inflater inflater = new Inflater();
  private final Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);

  SpdyFramer(InputStream in, OutputStream out) {
    this.in = new DataInputStream(in);
    this.out = out;
    deflater.setDictionary(DICTIONARY);
  }

  /** The next frame, or null when the connection ended. */
  Frame read() throws IOException {
    int first;
    try {
      first = in.readInt();
    } catch (EOFException e) {
      return null;
    }
    int word = in.readInt();
    int flags = (word >>> 24) & 0xff;
    int length = word & 0xffffff;
    if ((first & 0x80000000) == 0) {
      byte[] data = new byte[length];
      in.readFully(data);
      return new Frame(0, flags, first & 0x7fffffff, Map.of(), data, 0);
    }
    int version = (first >>> 16) & 0x7fff;
    int type = first & 0xffff;
    byte[] body = new byte[length];
    in.readFully(body);
    if (version != 3) {
      throw new IOException("SPDY version " + version + " (only 3 is spoken)");
    }
    ByteBuffer b = ByteBuffer.wrap(body);
    return switch (type) {
      case SYN_STREAM -> {
        int id = b.getInt() & 0x7fffffff;
        b.getInt(); // associated stream
        b.getShort(); // priority and slot
        yield new Frame(type, flags, id, headers(body, 10, length - 10), null, 0);
      }
      case SYN_REPLY, 8 -> new Frame(type, flags, b.getInt() & 0x7fffffff, headers(body, 4, length - 4), null, 0);
      case RST_STREAM, 9 -> new Frame(type, flags, b.getInt() & 0x7fffffff, Map.of(), null, b.getInt());
      case PING -> new Frame(type, flags, 0, Map.of(), null, b.getInt());
      case GOAWAY -> new Frame(type, flags, b.getInt() & 0x7fffffff, Map.of(), null, length >= 8 ? b.getInt() : 0);
      default -> new Frame(type, flags, 0, Map.of(), null, 0); // SETTINGS and others: nothing to act on
    };
  }

  private Map<String, List<String>> headers(byte[] body, int offset, int length) throws IOException {
    inflater.setInput(body, offset, length);
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    try {
      while (true) {
        int n = inflater.inflate(buf);
        if (n > 0) {
          raw.write(buf, 0, n);
        } else if (inflater.needsDictionary()) {
          inflater.setDictionary(DICTIONARY);
        } else if (inflater.needsInput() || inflater.finished()) {
          break;
        }
      }
    } catch (DataFormatException e) {
      throw new IOException("a SPDY header block that does not inflate: " + e.getMessage(), e);
    }
    ByteBuffer b = ByteBuffer.wrap(raw.toByteArray());
    Map<String, List<String>> headers = new LinkedHashMap<>();
    int count = b.getInt();
    for (int i = 0; i < count; i++) {
      String name = text(b);
      String value = text(b);
      headers.computeIfAbsent(name, k -> new ArrayList<>()).addAll(List.of(value.split("\0", -1)));
    }
    return headers;
  }

  private static String text(ByteBuffer b) {
    byte[] bytes = new byte[b.getInt()];
    b.get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  synchronized void synReply(int streamId) throws IOException {
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    block.write(new byte[] {0, 0, 0, 0}); // no headers
    byte[] compressed = compress(block.toByteArray());
    control(SYN_REPLY, 0, 4 + compressed.length);
    writeInt(streamId);
    out.write(compressed);
    out.flush();
  }

  synchronized void rst(int streamId, int status) throws IOException {
    control(RST_STREAM, 0, 8);
    writeInt(streamId);
    writeInt(status);
    out.flush();
  }

  synchronized void ping(int id) throws IOException {
    control(PING, 0, 4);
    writeInt(id);
    out.flush();
  }

  synchronized void goAway(int lastGoodStream) throws IOException {
    control(GOAWAY, 0, 8);
    writeInt(lastGoodStream);
    writeInt(0);
    out.flush();
  }

  /** Data on a stream, in frames of at most {@link #MAX_DATA} bytes; {@code fin} ends the stream. */
  synchronized void data(int streamId, byte[] data, int off, int len, boolean fin) throws IOException {
    do {
      int n = Math.min(len, MAX_DATA);
      writeInt(streamId & 0x7fffffff);
      writeInt(((fin && n == len ? FLAG_FIN : 0) << 24) | n);
      out.write(data, off, n);
      off += n;
      len -= n;
    } while (len > 0);
    out.flush();
  }

  private void control(int type, int flags, int length) throws IOException {
    writeInt(0x80000000 | (3 << 16) | type);
    writeInt((flags << 24) | length);
  }

  private void writeInt(int v) throws IOException {
    out.write(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
  }

  private byte[] compress(byte[] raw) {
    deflater.setInput(raw);
    ByteArrayOutputStream compressed = new ByteArrayOutputStream();
    byte[] buf = new byte[1024];
    int n;
    do {
      n = deflater.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
      compressed.write(buf, 0, n);
    } while (n == buf.length);
    return compressed.toByteArray();
  }

  private static byte[] dictionary() {
    String[] names = {"options", "head", "post", "put", "delete", "trace", "accept", "accept-charset", "accept-encoding",
        "accept-language", "accept-ranges", "age", "allow", "authorization", "cache-control", "connection", "content-base",
        "content-encoding", "content-language", "content-length", "content-location", "content-md5", "content-range",
        "content-type", "date", "etag", "expect", "expires", "from", "host", "if-match", "if-modified-since", "if-none-match",
        "if-range", "if-unmodified-since", "last-modified", "location", "max-forwards", "pragma", "proxy-authenticate",
        "proxy-authorization", "range", "referer", "retry-after", "server", "te", "trailer", "transfer-encoding", "upgrade",
        "user-agent", "vary", "via", "warning", "www-authenticate", "method", "get", "status", "200 OK", "version", "HTTP/1.1",
        "url", "public", "set-cookie", "keep-alive", "origin"};
    String tail = "100101201202205206300302303304305306307402405406407408409410411412413414415416417502504505"
        + "203 Non-Authoritative Information204 No Content301 Moved Permanently400 Bad Request401 Unauthorized"
        + "403 Forbidden404 Not Found500 Internal Server Error501 Not Implemented503 Service Unavailable"
        + "Jan Feb Mar Apr May Jun Jul Aug Sept Oct Nov Dec 00:00:00 Mon, Tue, Wed, Thu, Fri, Sat, Sun, GMT"
        + "chunked,text/html,image/png,image/jpg,image/gif,application/xml,application/xhtml+xml,text/plain,"
        + "text/javascript,publicprivatemax-age=gzip,deflate,sdchcharset=utf-8charset=iso-8859-1,utf-,*,enq=0.";
    ByteArrayOutputStream d = new ByteArrayOutputStream();
    for (String n : names) {
      byte[] bytes = n.getBytes(StandardCharsets.US_ASCII);
      d.writeBytes(new byte[] {0, 0, 0, (byte) bytes.length});
      d.writeBytes(bytes);
    }
    d.writeBytes(tail.getBytes(StandardCharsets.US_ASCII));
    return d.toByteArray();
  }
}
