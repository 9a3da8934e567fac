package dev.gitopsworkshop.git;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eclipse.jgit.errors.CancelledException;
import org.eclipse.jgit.internal.storage.file.FileRepository;
import org.eclipse.jgit.internal.storage.file.GC;
import org.eclipse.jgit.lib.EmptyProgressMonitor;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.storage.pack.PackConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code git gc --auto}, as git runs it after a push or a fetch. Each push to the Git server and
 * each fetch into the source-controller's cache leaves one pack behind, and every later fetch
 * looks for each object in every pack. JGit collects after both itself, but keeps every pack
 * younger than an hour ({@code gc.prunePackExpire}): on a busy lab the packs piled up (700 after
 * 370 pushes, each collection adding one more) and a push took several times as long to reach the
 * cluster as the first one. So JGit's own is turned off in the lab's repositories
 * ({@code gc.auto} and {@code gc.autoPackLimit} 0) and this runs instead, with git's pack limit:
 * once there are more than {@value #PACK_LIMIT} packs, everything the refs reach goes into one
 * pack and the old packs go at once, as {@code git repack -A -d} does: an object in them that no
 * ref reaches (a push whose ref is not yet updated) is kept as a loose object, not lost. Refs are
 * left as they are, so that no push or fetch finds them locked. Replaced packs are preserved until
 * the next collection ({@code pack.preserveOldPacks}), for a fetch that had already listed them.
 * One background thread, one collection per repository at a time; what fails is logged.
 */
public final class AutoGc implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AutoGc.class);
  /** git's {@code gc.autoPackLimit}. */
  public static final int PACK_LIMIT = 50;

  private final String what;
  private final ExecutorService worker;
  private final Set<Path> pending = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  /** @param what whose repositories these are, for the log and the thread's name (e.g. "git-server") */
  public AutoGc(String what) {
    this.what = what;
    this.worker = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, what + "-gc");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Turns JGit's own collection after a push or a fetch off in {@code repository} (settings in its
   * config, kept), so that this one runs instead.
   */
  public static void replaceJGits(Repository repository) throws IOException {
    StoredConfig config = repository.getConfig();
    if (config.getInt("gc", null, "auto", -1) != 0 || config.getInt("gc", null, "autoPackLimit", -1) != 0) {
      config.setInt("gc", null, "auto", 0);
      config.setInt("gc", null, "autoPackLimit", 0);
      config.save();
    }
  }

  /**
   * Collects the repository at {@code gitDir} in the background when it needs it (see the class);
   * a collection already waiting for it covers this one.
   */
  public void collectSoon(Path gitDir) {
    if (closed || !pending.add(gitDir)) {
      return;
    }
    try {
      worker.execute(() -> {
        pending.remove(gitDir);
        collectIfNeeded(gitDir);
      });
    } catch (RejectedExecutionException e) {
      pending.remove(gitDir);
      LOG.debug("not collecting {}: the {} is stopping", gitDir, what);
    }
  }

  /** Whether {@code git gc --auto} would repack: more packs than git's limit. */
  static boolean needed(Path gitDir) throws IOException {
    try (Stream<Path> files = Files.list(gitDir.resolve("objects/pack"))) {
      return files.filter(f -> f.getFileName().toString().endsWith(".pack")).count() > PACK_LIMIT;
    } catch (NoSuchFileException e) {
      return false;
    }
  }

  private void collectIfNeeded(Path gitDir) {
    if (closed) {
      return;
    }
    long start = System.nanoTime();
    try {
      if (!needed(gitDir)) {
        return;
      }
      try (FileRepository repository = new FileRepository(gitDir.toFile())) {
        GC gc = new GC(repository);
        PackConfig pack = new PackConfig(repository);
        pack.setPreserveOldPacks(true);
        pack.setPrunePreserved(true);
        gc.setPackConfig(pack);
        gc.setPackExpire(Instant.now()); // what no ref reaches in the old packs is loosened, not lost
        gc.setProgressMonitor(new EmptyProgressMonitor() {
          @Override
          public boolean isCancelled() {
            return closed;
          }
        });
        gc.repack();
      }
      LOG.info("{}: packed {} ({} ms)", what, gitDir, (System.nanoTime() - start) / 1_000_000);
    } catch (IOException | RuntimeException e) {
      failed(gitDir, e);
    }
  }

  private void failed(Path gitDir, Throwable e) {
    if (e instanceof CancelledException) {
      LOG.debug("{}: collection of {} cancelled: stopping", what, gitDir);
    } else {
      LOG.warn("{}: cannot pack {} (fetches slow down as packs pile up; the next push or fetch tries again)", what, gitDir, e);
    }
  }

  /** Cancels a collection under way (JGit leaves the repository as it was) and waits for it to end. */
  @Override
  public void close() {
    closed = true;
    worker.shutdown();
    try {
      if (!worker.awaitTermination(5, TimeUnit.SECONDS)) {
        LOG.warn("{}: a Git collection did not stop within 5 s", what);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
