package dev.gitopsworkshop.cluster.embedded;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * A fresh self-signed TLS certificate (EC P-256, valid ten years) for the API server, made with
 * the JDK alone: the X.509 structure is written as DER here and signed with SHA256withECDSA.
 *
 * <p>TLS is needed because kubectl (client-go) sends a kubeconfig's credentials only over TLS;
 * the certificate goes into the kubeconfig as the cluster's certificate authority, so clients
 * verify the server as they would a real cluster.
 */
final class SelfSignedCertificate {
  private final KeyPair keys;
  private final X509Certificate certificate;

  private SelfSignedCertificate(KeyPair keys, X509Certificate certificate) {
    this.keys = keys;
    this.certificate = certificate;
  }

  /** A certificate for localhost, 127.0.0.1, ::1 and {@code host} when that is another name or address. */
  static SelfSignedCertificate create(String host) {
    try {
      KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
      gen.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair keys = gen.generateKeyPair();
      byte[] algorithm = seq(oid("1.2.840.10045.4.3.2"));
      byte[] name = seq(set(seq(oid("2.5.4.3"), tlv(0x0c, "workshop-cluster".getBytes(StandardCharsets.UTF_8)))));
      ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
      DateTimeFormatter utc = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'");
      byte[] validity = seq(
          tlv(0x17, utc.format(now.minusDays(1)).getBytes(StandardCharsets.US_ASCII)),
          tlv(0x17, utc.format(now.plusYears(10)).getBytes(StandardCharsets.US_ASCII)));
      byte[] extensions = tlv(0xa3, seq(
          seq(oid("2.5.29.19"), tlv(0x01, new byte[] {(byte) 0xff}), tlv(0x04, seq(tlv(0x01, new byte[] {(byte) 0xff})))),
          seq(oid("2.5.29.17"), tlv(0x04, subjectAltNames(host)))));
      byte[] tbs = seq(
          tlv(0xa0, integer(BigInteger.TWO)),
          integer(new BigInteger(63, new SecureRandom()).add(BigInteger.ONE)),
          algorithm,
          name,
          validity,
          name,
          keys.getPublic().getEncoded(),
          extensions);
      Signature signer = Signature.getInstance("SHA256withECDSA");
      signer.initSign(keys.getPrivate());
      signer.update(tbs);
      byte[] signature = signer.sign();
      byte[] bitString = new byte[signature.length + 1];
      System.arraycopy(signature, 0, bitString, 1, signature.length);
      byte[] der = seq(tbs, algorithm, tlv(0x03, bitString));
      X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(der));
      cert.verify(keys.getPublic());
      return new SelfSignedCertificate(keys, cert);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("could not make the API server's TLS certificate: " + e.getMessage(), e);
    }
  }

  /** A PKCS12 key store holding the key and certificate under the alias {@code api-server}. */
  KeyStore keyStore(char[] password) {
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, password);
      ks.setKeyEntry("api-server", keys.getPrivate(), password, new Certificate[] {certificate});
      return ks;
    } catch (Exception e) {
      throw new IllegalStateException("could not build the API server's key store: " + e.getMessage(), e);
    }
  }

  X509Certificate certificate() {
    return certificate;
  }

  /** The certificate in PEM form, as a kubeconfig's certificate-authority-data holds it (base64 of this). */
  String pem() {
    try {
      String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
          .encodeToString(certificate.getEncoded());
      return "-----BEGIN CERTIFICATE-----\n" + b64 + "\n-----END CERTIFICATE-----\n";
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] subjectAltNames(String host) {
    Set<String> dns = new LinkedHashSet<>(Set.of("localhost"));
    Set<String> ips = new LinkedHashSet<>();
    ips.add("127.0.0.1");
    ips.add("::1");
    if (host != null && !host.isEmpty() && !host.equals("0.0.0.0") && !host.equals("::")) {
      if (host.matches("[0-9.]+") || host.contains(":")) {
        ips.add(host);
      } else {
        dns.add(host);
      }
    }
    ByteArrayOutputStream names = new ByteArrayOutputStream();
    for (String d : dns) {
      names.writeBytes(tlv(0x82, d.getBytes(StandardCharsets.US_ASCII)));
    }
    for (String ip : ips) {
      try {
        names.writeBytes(tlv(0x87, InetAddress.getByName(ip).getAddress()));
      } catch (UnknownHostException e) {
        // not an address after all: leave it out
      }
    }
    return tlv(0x30, names.toByteArray());
  }

  // ---------------------------------------------------------------- DER

  private static byte[] seq(byte[]... parts) {
    return tlv(0x30, concat(parts));
  }

  private static byte[] set(byte[]... parts) {
    return tlv(0x31, concat(parts));
  }

  private static byte[] integer(BigInteger value) {
    return tlv(0x02, value.toByteArray());
  }

  private static byte[] oid(String dotted) {
    String[] arcs = dotted.split("\\.");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(Integer.parseInt(arcs[0]) * 40 + Integer.parseInt(arcs[1]));
    for (int i = 2; i < arcs.length; i++) {
      long arc = Long.parseLong(arcs[i]);
      int shift = 63 - Long.numberOfLeadingZeros(arc | 1);
      for (int s = (shift / 7) * 7; s > 0; s -= 7) {
        out.write((int) (0x80 | ((arc >> s) & 0x7f)));
      }
      out.write((int) (arc & 0x7f));
    }
    return tlv(0x06, out.toByteArray());
  }

  private static byte[] tlv(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int len = content.length;
    if (len < 0x80) {
      out.write(len);
    } else if (len < 0x100) {
      out.write(0x81);
      out.write(len);
    } else {
      out.write(0x82);
      out.write(len >> 8);
      out.write(len & 0xff);
    }
    out.writeBytes(content);
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
