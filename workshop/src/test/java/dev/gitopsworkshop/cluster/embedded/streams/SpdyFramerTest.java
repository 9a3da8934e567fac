package dev.gitopsworkshop.cluster.embedded.streams;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

class SpdyFramerTest {
  @Test
  void theHeaderDictionaryIsSpdy3s() throws Exception {
    assertEquals(1423, SpdyFramer.DICTIONARY.length);
    // the digest of the dictionary Go's SPDY framer (moby/spdystream) compresses with
    assertEquals("51d27341373f923f3cd88e1eb7162aeaa3723d7585ff2399201dc06498407f02",
        HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(SpdyFramer.DICTIONARY)));
  }

  /** A SYN_STREAM as a client writes it: the header block compressed with the dictionary, flushed. */
  private static byte[] synStream(Deflater deflater, int id, String... nameValues) throws Exception {
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    DataOutputStream b = new DataOutputStream(block);
    b.writeInt(nameValues.length / 2);
    for (String s : nameValues) {
      byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
      b.writeInt(bytes.length);
      b.write(bytes);
    }
    deflater.setInput(block.toByteArray());
    byte[] buf = new byte[4096];
    int n = deflater.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    DataOutputStream f = new DataOutputStream(frame);
    f.writeInt(0x80030001);
    f.writeInt(10 + n);
    f.writeInt(id);
    f.writeInt(0);
    f.writeShort(0);
    f.write(buf, 0, n);
    return frame.toByteArray();
  }

  @Test
  void readsStreamsWhoseHeadersShareOneCompressionContext() throws Exception {
    Deflater client = new Deflater(Deflater.BEST_COMPRESSION);
    client.setDictionary(SpdyFramer.DICTIONARY);
    ByteArrayOutputStream wire = new ByteArrayOutputStream();
    wire.write(synStream(client, 1, "streamtype", "error", "port", "9898", "requestid", "0"));
    wire.write(synStream(client, 3, "streamtype", "data", "port", "9898", "requestid", "0"));
    wire.write(new byte[] {0, 0, 0, 3, 1, 0, 0, 2, 'h', 'i'}); // data on stream 3, FIN
    SpdyFramer framer = new SpdyFramer(new ByteArrayInputStream(wire.toByteArray()), new ByteArrayOutputStream());
    SpdyFramer.Frame error = framer.read();
    assertEquals(SpdyFramer.SYN_STREAM, error.type());
    assertEquals(1, error.streamId());
    assertEquals(List.of("error"), error.headers().get("streamtype"));
    SpdyFramer.Frame data = framer.read();
    assertEquals(List.of("data"), data.headers().get("streamtype"));
    assertEquals(List.of("9898"), data.headers().get("port"));
    SpdyFramer.Frame payload = framer.read();
    assertEquals(0, payload.type());
    assertTrue(payload.fin());
    assertArrayEquals("hi".getBytes(StandardCharsets.US_ASCII), payload.data());
    assertNull(framer.read());
  }

  @Test
  void writesLargeDataInFramesAndEndsWithFin() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    SpdyFramer framer = new SpdyFramer(new ByteArrayInputStream(new byte[0]), out);
    byte[] big = new byte[SpdyFramer.MAX_DATA + 10];
    framer.data(5, big, 0, big.length, true);
    SpdyFramer reader = new SpdyFramer(new ByteArrayInputStream(out.toByteArray()), new ByteArrayOutputStream());
    SpdyFramer.Frame first = reader.read();
    SpdyFramer.Frame second = reader.read();
    assertEquals(SpdyFramer.MAX_DATA, first.data().length);
    assertFalse(first.fin());
    assertEquals(10, second.data().length);
    assertTrue(second.fin());
  }
}
