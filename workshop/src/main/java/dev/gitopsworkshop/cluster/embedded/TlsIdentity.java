package dev.gitopsworkshop.cluster.embedded;

import dev.gitopsworkshop.WorkshopException;
import dev.gitopsworkshop.state.DataDir;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The API server's TLS identity: a self-signed certificate for 127.0.0.1 and localhost, made once
 * per data dir with the JDK's own {@code keytool} and kept there (mode 0600), so that a restarted lab
 * serves the same kubeconfig. kubectl sends a bearer token only over TLS, hence TLS at all.
 *
 * <p>The store's password lies beside it ({@code api-server.pass}, mode 0600 too), so a
 * password-derived key would guard nothing the file permissions do not: the store is written
 * without the PKCS12 integrity MAC, with the certificate in the clear and one round of key
 * derivation for the key. The JDK's defaults (10,000 rounds of SHA-256 for each) cost some 70 ms of
 * CPU at every load, and a lab's start loads it three times (the CA's PEM, Jetty's key store, its key
 * manager).
 */
public record TlsIdentity(Path keystore, String password, String caPem) {
  private static final String ALIAS = "workshop";
  /** Identities being made on their own threads, by data dir ({@link #prepare}). */
  private static final Map<Path, CompletableFuture<TlsIdentity>> PREPARING = new ConcurrentHashMap<>();

  /**
   * Starts making {@code dir}'s identity on its own thread when it has none yet: keytool is a JVM of
   * its own (a few hundred milliseconds), which the rest of a lab's start need not wait for.
   * {@link #ensure} then waits for it.
   */
  public static void prepare(DataDir dir) {
    if (!Files.exists(dir.resolve("api-server.p12")) || !Files.exists(dir.resolve("api-server.pass"))) {
      PREPARING.computeIfAbsent(dir.root(), root -> CompletableFuture.supplyAsync(() -> make(dir)));
    }
  }

  /** The identity of {@code dir}: the one kept there, the one {@link #prepare} is making, or a new one. */
  public static TlsIdentity ensure(DataDir dir) {
    CompletableFuture<TlsIdentity> preparing = PREPARING.remove(dir.root());
    if (preparing != null) {
      try {
        TlsIdentity made = preparing.join();
        if (Files.exists(made.keystore())) {
          return made;
        }
      } catch (CompletionException e) {
        if (e.getCause() instanceof RuntimeException cause) {
          throw cause;
        }
        throw e;
      }
    }
    return make(dir);
  }

  private static TlsIdentity make(DataDir dir) {
    Path keystore = dir.resolve("api-server.p12");
    Path secret = dir.resolve("api-server.pass");
    try {
      if (!Files.exists(keystore) || !Files.exists(secret)) {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        String password = HexFormat.of().formatHex(bytes);
        Files.createDirectories(keystore.getParent());
        Files.deleteIfExists(keystore);
        generate(keystore, password);
        DataDir.restrictToOwner(keystore);
        DataDir.writeAtomically(secret, password, true);
      }
      String password = Files.readString(secret).strip();
      return new TlsIdentity(keystore, password, pem(keystore, password));
    } catch (IOException | java.security.GeneralSecurityException e) {
      throw new WorkshopException(
          "cannot make the cluster's TLS certificate in " + dir.root() + ": " + e.getMessage(),
          "remove " + keystore.getFileName() + " and " + secret.getFileName() + " from the data dir and start again",
          e);
    }
  }

  private static void generate(Path keystore, String password) throws IOException {
    generate(Path.of(System.getProperty("java.home"), "bin", "keytool"), keystore, password, KEYTOOL_TIMEOUT);
  }

  static final Duration KEYTOOL_TIMEOUT = Duration.ofSeconds(60);
  /** The JDK's settings for what a PKCS12 store it writes protects, and how (see the class comment). */
  private static final String MAC = "keystore.pkcs12.macAlgorithm";
  private static final String CERT_PROTECTION = "keystore.pkcs12.certProtectionAlgorithm";
  private static final String KEY_ROUNDS = "keystore.pkcs12.keyPbeIterationCount";
  /** The environment variable that hands keytool the password (never its command line, which {@code ps} shows). */
  static final String PASSWORD_VARIABLE = "WORKSHOP_KEYSTORE_PASSWORD";

  /**
   * Runs keytool with the password in its environment ({@code -storepass:env}), its output to a
   * file (so that nothing it writes can block it), and stops it when it takes longer than
   * {@code timeout}.
   */
  static void generate(Path keytool, Path keystore, String password, Duration timeout) throws IOException {
    Path output = Files.createTempFile("keytool", ".log");
    try {
      ProcessBuilder builder = new ProcessBuilder(
              // keytool's JVM started as the lab's is: it has a key to make, not a server to run
              keytool.toString(), "-J-XX:+UseSerialGC", "-J-XX:TieredStopAtLevel=1", "-J-Xshare:auto",
              "-J-D" + MAC + "=NONE", "-J-D" + CERT_PROTECTION + "=NONE", "-J-D" + KEY_ROUNDS + "=1",
              "-genkeypair", "-alias", ALIAS,
              "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA",
              "-dname", "CN=gitops-workshop embedded cluster", "-validity", "3650",
              "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-ext", "BC:c=ca:true",
              "-ext", "KU=digitalSignature,keyCertSign", "-ext", "EKU=serverAuth",
              "-keystore", keystore.toString(), "-storetype", "PKCS12",
              "-storepass:env", PASSWORD_VARIABLE, "-keypass:env", PASSWORD_VARIABLE)
          .redirectErrorStream(true)
          .redirectOutput(output.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      builder.environment().put(PASSWORD_VARIABLE, password);
      Process p = builder.start();
      try {
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          p.destroyForcibly();
          throw new IOException("keytool did not finish within " + timeout.toSeconds() + " s");
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while making the certificate", e);
      }
      if (p.exitValue() != 0) {
        throw new IOException("keytool failed: " + Files.readString(output).strip());
      }
    } finally {
      Files.deleteIfExists(output);
    }
  }

  private static String pem(Path keystore, String password) throws IOException, java.security.GeneralSecurityException {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      ks.load(in, password.toCharArray());
    }
    Certificate cert = ks.getCertificate(ALIAS);
    return "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(cert.getEncoded())
        + "\n-----END CERTIFICATE-----\n";
  }
}
