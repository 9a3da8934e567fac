package dev.gitopsworkshop.tutorial;

import dev.gitopsworkshop.state.DataDir;
import dev.gitopsworkshop.state.LabFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.storage.file.FileBasedConfig;
import org.eclipse.jgit.util.FS;
import org.eclipse.jgit.util.SystemReader;

/**
 * A lab without a cluster for unit tests of the Git side of the tutorial: a local bare
 * repository plays the Git server (seeded like the workshop repository), JGit reads no user or
 * system configuration, and the data dir is a temp folder.
 */
public final class LocalLab implements AutoCloseable {
  private final SystemReader previous = SystemReader.getInstance();
  private final Path root;
  private final Path server;
  private final TutorialContext context;

  public LocalLab(Path root) throws Exception {
    this.root = root;
    Path config = Files.createDirectories(root.resolve("jgit-config"));
    // no background garbage collection writing into folders the test is about to delete
    Files.writeString(config.resolve("user"), "[gc]\n\tauto = 0\n\tautoDetach = false\n");
    SystemReader.setInstance(new SystemReader.Delegate(previous) {
      @Override
      public FileBasedConfig openUserConfig(Config parent, FS fs) {
        return new FileBasedConfig(parent, config.resolve("user").toFile(), fs);
      }

      @Override
      public FileBasedConfig openSystemConfig(Config parent, FS fs) {
        return new FileBasedConfig(parent, config.resolve("system").toFile(), fs);
      }

      @Override
      public FileBasedConfig openJGitConfig(Config parent, FS fs) {
        return new FileBasedConfig(parent, config.resolve("jgit").toFile(), fs);
      }
    });
    // JGit measures the file system's timestamp resolution once, writing probe files where it
    // looks first: have it look at the temp folder now, not in a test's folder while it is deleted
    FS.FileStoreAttributes.setBackground(false);
    FS.FileStoreAttributes.get(Path.of(System.getProperty("java.io.tmpdir")));
    server = root.resolve("server/workshop.git");
    Git.init().setBare(true).setInitialBranch("main").setDirectory(server.toFile()).call().close();
    seed();
    LabFile lab = LabFile.empty()
        .put("git", "url", server.toUri().toString())
        .put("git", "username", "participant")
        .put("git", "password", "secret")
        .put("cluster", "kubeconfig", root.resolve("no-kubeconfig").toString());
    context = new TutorialContext(lab, DataDir.at(root.resolve("data")));
  }

  /** The workshop repository's first commit: the example manifest and an empty deploy folder. */
  private void seed() throws Exception {
    Path seed = root.resolve("seed");
    try (Git git = Git.init().setInitialBranch("main").setDirectory(seed.toFile()).call()) {
      Files.createDirectories(seed.resolve("examples"));
      Files.writeString(seed.resolve("examples/podinfo-dep.yaml"), """
          apiVersion: apps/v1
          kind: Deployment
          metadata:
            name: podinfo
          spec:
            replicas: 1 # one to start with
            selector:
              matchLabels:
                app: podinfo
            template:
              spec:
                containers:
                  - name: podinfo
                    image: ghcr.io/stefanprodan/podinfo:6.5.0
          """);
      Files.createDirectories(seed.resolve("deploy/kubernetes"));
      Files.writeString(seed.resolve("deploy/kubernetes/.gitkeep"), "");
      git.add().addFilepattern(".").call();
      git.commit().setMessage("The workshop repository").setAuthor("seed", "seed@example.org")
          .setCommitter("seed", "seed@example.org").setSign(false).call();
      git.push().setRemote(server.toUri().toString()).add("main").call();
    }
  }

  public TutorialContext context() {
    return context;
  }

  /** Another participant's clone, to make the server move ahead of the workspace. */
  public Git otherClone(String name) throws Exception {
    return Git.cloneRepository().setURI(server.toUri().toString()).setDirectory(root.resolve(name).toFile()).call();
  }

  @Override
  public void close() throws IOException {
    SystemReader.setInstance(previous);
  }
}
