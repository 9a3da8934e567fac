package dev.gitopsworkshop.lab;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.state.DataDir;
import dev.gitopsworkshop.state.LabFile;
import dev.gitopsworkshop.support.Background;
import dev.gitopsworkshop.support.Cli;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One process owns a data dir, as users meet it: two {@code up} started at once, a {@code git serve}
 * beside a running lab, a lab killed and started again. The same lab shows that its files are
 * private under {@code umask 000}, that the commands it prints work when pasted from a path with a
 * space, and that none of its servers keeps a connection whose header never ends.
 */
class DataDirOwnershipIT {
  @TempDir Path tmp;
  private Cli cli;
  private Path data;
  private final List<Background> started = new ArrayList<>();

  @BeforeEach
  void setUp() throws IOException {
    Files.createDirectories(tmp.resolve("home"));
    cli = new Cli(tmp.resolve("home"), tmp);
    data = tmp.resolve("my labs/.workshop");
  }

  @AfterEach
  void tearDown() {
    started.forEach(Background::close);
  }

  /** {@code up} on the data dir, started the way a user with {@code umask 000} would start it. */
  private Background upUnderUmask000() throws IOException {
    List<String> command = new ArrayList<>(List.of("bash", "-c", "umask 000; exec \"$@\"", "bash"));
    command.addAll(List.of(cli.workshop("up", "--cluster=embedded", "--data-dir", data.toString())));
    Background up = cli.start(tmp, Map.of(), command.toArray(String[]::new));
    started.add(up);
    return up;
  }

  private static boolean ready(Background up) {
    return up.err().contains("lab ready");
  }

  private static String mode(Path file) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
  }

  @Test
  void oneOwnerPerDataDirWithPrivateFilesPasteableCommandsAndBoundedHeaders() throws Exception {
    // two labs started at once on a new data dir: one runs, the other is refused naming it
    Background a = upUnderUmask000();
    Background b = upUnderUmask000();
    await("one lab ready, the other refused").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
        .until(() -> (ready(a) || ready(b)) && (!a.isAlive() || !b.isAlive()) || (!a.isAlive() && !b.isAlive()));
    Background winner = ready(a) ? a : b;
    Background loser = winner == a ? b : a;
    assertTrue(ready(winner), () -> "no lab started:\n" + a + "\n" + b);
    Cli.Result refused = loser.waitFor(Duration.ofSeconds(30));
    assertEquals(1, refused.exitCode(), refused.toString());
    String firstLine = refused.err().lines().findFirst().orElse("");
    assertTrue(firstLine.startsWith("✗ error: the data directory " + data + " is in use by 'up' (process " + winner.pid() + ", since "),
        firstLine);
    assertEquals(2, refused.err().strip().lines().count(), "one line and a hint: " + refused.err());

    LabFile lab = LabFile.read(DataDir.at(data));
    assertEquals(winner.pid(), lab.json().path("pid").asLong(), "lab.json is the winner's");
    int gitPort = URI.create(lab.gitUrl()).getPort();

    // connections to each server that start a request header and never end it, dripping a line a second
    List<Drip> drips = List.of(new Drip(new Socket("127.0.0.1", gitPort)),
        new Drip(new Socket("127.0.0.1", URI.create(lab.get("console", "url")).getPort())),
        new Drip(trustingTls().getSocketFactory().createSocket("127.0.0.1", URI.create(lab.get("cluster", "apiUrl")).getPort())));
    drips.forEach(Drip::start);
    ObjectMapper json = new ObjectMapper();
    assertEquals(gitPort, json.readTree(data.resolve("credentials.json").toFile()).path("port").asInt(),
        "the remembered port is the running server's");

    // private, although the lab ran under umask 000
    assertEquals("rwx------", mode(data));
    for (String secret : List.of("credentials.json", "lab.json", "kubeconfig", "git-credentials")) {
      assertEquals("rw-------", mode(data.resolve(secret)), secret);
    }

    // what up printed works when pasted, though the data dir's path has a space
    List<String> printed = winner.out().lines().toList();
    String export = printed.stream().filter(l -> l.startsWith("export KUBECONFIG=")).findFirst().orElseThrow();
    String clone = printed.stream().filter(l -> l.startsWith("git clone ")).findFirst().orElseThrow();
    assertFalse(clone.contains(lab.gitPassword()), "no password in the clone line: " + clone);
    String namespaces = cli.run(tmp, "bash", "-c", export + " && kubectl --cache-dir " + tmp.resolve("kube-cache")
        + " --request-timeout=20s get namespaces -o name").ok().out();
    assertTrue(namespaces.contains("namespace/default"), namespaces);
    Path pasted = Files.createDirectories(tmp.resolve("pasted"));
    cli.run(pasted, "bash", "-c", clone).ok();
    Path workspace = data.resolve("workspace"); // where the printed clone line puts it, wherever it is pasted
    assertFalse(Files.readString(workspace.resolve(".git/config")).contains(lab.gitPassword()));
    Files.writeString(workspace.resolve("deploy/kubernetes/hello.txt"), "hello\n");
    cli.git(workspace, "add", ".").ok();
    cli.git(workspace, "commit", "-q", "-m", "Pushed without a password prompt").ok();
    cli.git(workspace, "push", "-q", "origin", "main").ok();

    // the runner's own workspace clone keeps the password out of .git/config too
    cli.run(tmp, cli.workshop("run", "--auto", "--to", "0", "--data-dir", data.toString())).ok();
    String config = Files.readString(data.resolve("workspace/.git/config"));
    assertFalse(config.contains(lab.gitPassword()), config);
    assertTrue(config.contains("helper = store --file="), config);

    // git serve beside the lab is refused and changes nothing
    byte[] labJson = Files.readAllBytes(data.resolve("lab.json"));
    byte[] credentials = Files.readAllBytes(data.resolve("credentials.json"));
    Cli.Result serve = cli.run(tmp, cli.workshop("git", "serve", "--data-dir", data.toString()));
    assertEquals(1, serve.exitCode(), serve.toString());
    assertTrue(serve.err().startsWith("✗ error: the data directory " + data + " is in use by 'up' (process " + winner.pid()),
        serve.err());
    assertArrayEquals(labJson, Files.readAllBytes(data.resolve("lab.json")));
    assertArrayEquals(credentials, Files.readAllBytes(data.resolve("credentials.json")));
    cli.run(tmp, cli.workshop("status", "--data-dir", data.toString())).ok();

    // ... by then every server has closed the connections whose header drips for ever (the deadline is 10 s)
    await("every server closes a connection whose header never ends").atMost(Duration.ofSeconds(25))
        .pollInterval(Duration.ofMillis(200)).until(() -> drips.stream().allMatch(Drip::closed));
    for (Drip d : drips) {
      assertTrue(d.closedAfter().compareTo(Duration.ofSeconds(25)) < 0, "closed by the header deadline, not the 30 s idle timeout: "
          + d.closedAfter());
    }

    // a lab killed outright blocks nothing, nor does a lab.json naming a live process that is not a lab
    winner.kill();
    ObjectNode stale = (ObjectNode) json.readTree(data.resolve("lab.json").toFile());
    stale.put("pid", ProcessHandle.current().pid());
    Files.writeString(data.resolve("lab.json"), stale.toString());
    Background again = upUnderUmask000();
    await("the lab starts again on the data dir").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
        .until(() -> ready(again) || !again.isAlive());
    assertTrue(ready(again), again::toString);
    assertEquals(lab.gitUrl(), LabFile.read(DataDir.at(data)).gitUrl(), "the same Git URL as before");
  }

  /** A client that sends a request header a line a second and never ends it (slowloris); notes when the server hangs up. */
  private static final class Drip extends Thread {
    private final Socket socket;
    private final long opened = System.nanoTime();
    private volatile long closedAt;

    Drip(Socket socket) {
      super("drip");
      setDaemon(true);
      this.socket = socket;
    }

    @Override
    public void run() {
      try (Socket s = socket) {
        OutputStream out = s.getOutputStream();
        InputStream in = s.getInputStream();
        s.setSoTimeout(1000); // the client's pace: a line a second
        out.write("GET /version HTTP/1.1\r\nHost: lab\r\n".getBytes(StandardCharsets.US_ASCII));
        while (true) {
          try {
            if (in.read() == -1) {
              break;
            }
          } catch (java.net.SocketTimeoutException e) {
            out.write("X-Drip: 1\r\n".getBytes(StandardCharsets.US_ASCII));
          }
        }
      } catch (IOException e) {
        // a reset: closed by the server as well
      }
      closedAt = System.nanoTime();
    }

    boolean closed() {
      return closedAt != 0;
    }

    Duration closedAfter() {
      return Duration.ofNanos(closedAt - opened);
    }
  }

  /** TLS that accepts the lab's self-signed certificate (loopback, a test's own connection). */
  private static SSLContext trustingTls() throws Exception {
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(null, new TrustManager[] {new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) {}

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    }}, null);
    return tls;
  }
}
