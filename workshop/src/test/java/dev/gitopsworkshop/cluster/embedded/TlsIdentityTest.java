package dev.gitopsworkshop.cluster.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitopsworkshop.state.DataDir;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.time.Duration;
import javax.net.ssl.KeyManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API server's certificate: made by the JDK's keytool, its password never on a command line, keytool bounded in time. */
class TlsIdentityTest {
  @TempDir Path tmp;

  @Test
  void theRealKeytoolMakesACertificateForLoopback() {
    TlsIdentity identity = TlsIdentity.ensure(DataDir.at(tmp));
    assertTrue(identity.caPem().startsWith("-----BEGIN CERTIFICATE-----"), identity.caPem());
    assertEquals(identity, TlsIdentity.ensure(DataDir.at(tmp)), "kept in the data dir: the same identity next start");
  }

  @Test
  void theStoreIsWrittenWithoutAPasswordDerivedMacOrCertificateEncryption_itsPasswordLiesBesideIt() throws Exception {
    TlsIdentity identity = TlsIdentity.ensure(DataDir.at(tmp));
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(identity.keystore())) {
      // with the JDK's default integrity MAC, a wrong password is refused here ("keystore password was incorrect")
      store.load(in, "not-the-password".toCharArray());
    }
    assertNotNull(store.getCertificate("workshop"), "the certificate is readable without the password: not encrypted");
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, identity.password().toCharArray()); // the key is still under the password
    assertThrows(UnrecoverableKeyException.class, () -> KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm())
        .init(store, "not-the-password".toCharArray()));
  }

  @Test
  void anIdentityPreparedInTheBackgroundIsTheOneEnsureGives_andItIsKept() {
    DataDir dir = DataDir.at(tmp.resolve("lab"));
    TlsIdentity.prepare(dir);
    TlsIdentity identity = TlsIdentity.ensure(dir);
    assertTrue(Files.exists(identity.keystore()), "written by keytool in the background");
    TlsIdentity.prepare(dir); // one is kept now: nothing more is made
    assertEquals(identity, TlsIdentity.ensure(dir));
  }

  /** A stand-in keytool (a script) that records how it was called and then hangs. */
  private Path hangingKeytool(Path calls) throws IOException {
    Path script = tmp.resolve("keytool");
    Files.writeString(script, "#!/bin/sh\necho \"args: $*\" > " + calls + "\necho \"env: $" + TlsIdentity.PASSWORD_VARIABLE + "\" >> " + calls
        + "\nexec sleep 600\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    return script;
  }

  @Test
  void fakeKeytool_thePasswordGoesThroughTheEnvironmentNotTheCommandLine_andAHangIsStoppedAtTheTimeout() throws Exception {
    Path calls = tmp.resolve("calls");
    IOException e = assertThrows(IOException.class,
        () -> TlsIdentity.generate(hangingKeytool(calls), tmp.resolve("ks.p12"), "s3cret-password", Duration.ofSeconds(2)));
    // before, the output was read to its end before waiting: a hanging keytool hung the lab (here: the test's own timeout)
    assertTrue(e.getMessage().contains("did not finish within 2 s"), e.getMessage());
    String recorded = Files.readString(calls);
    assertFalse(recorded.lines().filter(l -> l.startsWith("args:")).findFirst().orElseThrow().contains("s3cret-password"), recorded);
    assertTrue(recorded.contains("-storepass:env " + TlsIdentity.PASSWORD_VARIABLE), recorded);
    assertTrue(recorded.contains("env: s3cret-password"), recorded);
  }
}
