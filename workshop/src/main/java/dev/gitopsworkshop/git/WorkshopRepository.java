package dev.gitopsworkshop.git;

import dev.gitopsworkshop.state.ProjectContent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;

/**
 * Creates a bare workshop repository with one commit on {@code main}: the project's
 * {@code examples/} and {@code flux/}, an empty {@code deploy/kubernetes/} (kept by a
 * {@code .gitkeep}) and a README for participants. In text files under {@code flux/},
 * {@code ${WORKSHOP_GIT_URL}} becomes the URL the cluster uses to reach the repository.
 */
public final class WorkshopRepository {
  public static final String BRANCH = "main";
  public static final String GIT_URL_PLACEHOLDER = "${WORKSHOP_GIT_URL}";
  static final PersonIdent AUTHOR = new PersonIdent("gitops-workshop", "workshop@gitops-workshop.local");

  private WorkshopRepository() {}

  /** Creates and seeds the bare repository unless it exists already. */
  public static void createIfMissing(Path bareDir, ProjectContent content, String clusterGitUrl)
      throws IOException {
    if (Files.isDirectory(bareDir)) {
      return; // checked before the server started (RepositoryCheck)
    }
    Path tmp = bareDir.resolveSibling("." + bareDir.getFileName() + ".creating");
    deleteRecursively(tmp);
    // closing the Git that init returned closes its repository too (closing both warned of a double close)
    try (Git git = Git.init().setBare(true).setInitialBranch(BRANCH).setDirectory(tmp.toFile()).call()) {
      Repository repo = git.getRepository();
      configure(repo);
      seed(repo, files(content, clusterGitUrl));
    } catch (GitAPIException e) {
      throw new IOException("cannot create " + bareDir + ": " + e.getMessage(), e);
    }
    Files.move(tmp, bareDir);
  }

  /**
   * Keeps the lab's own files in the repository in step with how the lab runs now, in one commit by
   * the lab on {@code main} when anything differs: {@code flux/install.yaml} becomes
   * {@code installManifest} (when given), and the Git URL in the project's {@code flux/} templates
   * becomes {@code clusterGitUrl} (a data dir first used with another cluster mode). A template
   * file someone changed beyond its URL is left as it is.
   *
   * @return the paths changed (empty: nothing committed)
   */
  public static List<String> refreshOperatorFiles(Path bareDir, ProjectContent content, String clusterGitUrl, Path installManifest)
      throws IOException {
    try (Repository repo = new org.eclipse.jgit.storage.file.FileRepositoryBuilder().setGitDir(bareDir.toFile()).setMustExist(true).build()) {
      ObjectId head = repo.resolve(Constants.R_HEADS + BRANCH);
      if (head == null) {
        return List.of();
      }
      Map<String, byte[]> current = new TreeMap<>();
      try (org.eclipse.jgit.revwalk.RevWalk walk = new org.eclipse.jgit.revwalk.RevWalk(repo);
          org.eclipse.jgit.treewalk.TreeWalk tree = new org.eclipse.jgit.treewalk.TreeWalk(repo)) {
        tree.addTree(walk.parseCommit(head).getTree());
        tree.setRecursive(true);
        while (tree.next()) {
          current.put(tree.getPathString(), repo.open(tree.getObjectId(0)).getBytes());
        }
      }
      Map<String, byte[]> wanted = new TreeMap<>();
      if (installManifest != null) {
        wanted.put("flux/install.yaml", Files.readAllBytes(installManifest));
      }
      for (Map.Entry<String, byte[]> template : templates(content).entrySet()) {
        byte[] now = current.get(template.getKey());
        String text = new String(template.getValue(), StandardCharsets.UTF_8);
        if (now != null && !wanted.containsKey(template.getKey()) && sameButUrl(text, new String(now, StandardCharsets.UTF_8))) {
          wanted.put(template.getKey(), text.replace(GIT_URL_PLACEHOLDER, clusterGitUrl).getBytes(StandardCharsets.UTF_8));
        }
      }
      List<String> changed = wanted.entrySet().stream()
          .filter(e -> !java.util.Arrays.equals(e.getValue(), current.get(e.getKey())))
          .map(Map.Entry::getKey)
          .toList();
      if (changed.isEmpty()) {
        return changed;
      }
      Map<String, byte[]> files = new TreeMap<>(current);
      changed.forEach(path -> files.put(path, wanted.get(path)));
      commit(repo, files, head, "Lab: the operator's files for this cluster\n\n"
          + "The lab keeps these in step with how it runs (its Flux install manifest, the URL the cluster uses for Git): "
          + String.join(", ", changed) + ".\n");
      return changed;
    }
  }

  /** The project's flux/ files that hold the Git URL placeholder. */
  private static Map<String, byte[]> templates(ProjectContent content) throws IOException {
    Map<String, byte[]> all = new TreeMap<>();
    addFolder(all, content.flux(), "flux", null);
    all.values().removeIf(bytes -> !new String(bytes, StandardCharsets.UTF_8).contains(GIT_URL_PLACEHOLDER));
    return all;
  }

  /** Whether {@code actual} is {@code template} with the URL placeholder filled in with some URL. */
  private static boolean sameButUrl(String template, String actual) {
    StringBuilder regex = new StringBuilder();
    String[] parts = template.split(java.util.regex.Pattern.quote(GIT_URL_PLACEHOLDER), -1);
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        regex.append("\\S+");
      }
      regex.append(java.util.regex.Pattern.quote(parts[i]));
    }
    return actual.matches("(?s)" + regex);
  }

  private static void configure(Repository repo) throws IOException {
    StoredConfig config = repo.getConfig();
    config.setBoolean("receive", null, "denyNonFastForwards", true);
    config.setBoolean("receive", null, "denyDeletes", true);
    config.setBoolean("http", null, "receivepack", true);
    config.setBoolean("core", null, "logAllRefUpdates", true); // a damaged main can be set back from its reflog
    config.save();
  }

  /** The initial tree: path in the repository to content. */
  static Map<String, byte[]> files(ProjectContent content, String clusterGitUrl) throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    addFolder(files, content.examples(), "examples", null);
    addFolder(files, content.flux(), "flux", clusterGitUrl);
    files.put("deploy/kubernetes/.gitkeep", new byte[0]);
    try (InputStream readme = WorkshopRepository.class.getResourceAsStream("/workshop-repo/README.md")) {
      files.put("README.md", readme.readAllBytes());
    }
    return files;
  }

  private static void addFolder(Map<String, byte[]> files, Path folder, String prefix, String gitUrl)
      throws IOException {
    if (!Files.isDirectory(folder)) {
      return;
    }
    List<Path> all;
    try (Stream<Path> walk = Files.walk(folder)) {
      all = walk.filter(Files::isRegularFile).sorted().toList();
    }
    for (Path file : all) {
      String rel = prefix + "/" + folder.relativize(file).toString().replace('\\', '/');
      byte[] bytes = Files.readAllBytes(file);
      if (gitUrl != null && isText(rel)) {
        bytes = new String(bytes, StandardCharsets.UTF_8)
            .replace(GIT_URL_PLACEHOLDER, gitUrl)
            .getBytes(StandardCharsets.UTF_8);
      }
      files.put(rel, bytes);
    }
  }

  private static boolean isText(String path) {
    return path.endsWith(".yaml") || path.endsWith(".yml") || path.endsWith(".md") || path.endsWith(".txt");
  }

  private static void seed(Repository repo, Map<String, byte[]> files) throws IOException {
    commit(repo, files, null, "Start the workshop\n\nExamples, the operator's manifests and an empty deploy/kubernetes/.\n");
  }

  /** A commit of exactly {@code files} on main, whose parent is {@code parent} (null: the first commit). */
  private static void commit(Repository repo, Map<String, byte[]> files, ObjectId parent, String message) throws IOException {
    try (ObjectInserter inserter = repo.newObjectInserter()) {
      DirCache index = DirCache.newInCore();
      DirCacheBuilder builder = index.builder();
      for (Map.Entry<String, byte[]> f : files.entrySet()) {
        DirCacheEntry entry = new DirCacheEntry(f.getKey());
        entry.setFileMode(FileMode.REGULAR_FILE);
        entry.setObjectId(inserter.insert(Constants.OBJ_BLOB, f.getValue()));
        builder.add(entry);
      }
      builder.finish();
      ObjectId tree = index.writeTree(inserter);
      CommitBuilder commit = new CommitBuilder();
      commit.setTreeId(tree);
      PersonIdent now = new PersonIdent(AUTHOR.getName(), AUTHOR.getEmailAddress());
      commit.setAuthor(now);
      commit.setCommitter(now);
      commit.setMessage(message);
      if (parent != null) {
        commit.setParentId(parent);
      }
      ObjectId id = inserter.insert(commit);
      inserter.flush();
      RefUpdate update = repo.updateRef(Constants.R_HEADS + BRANCH);
      update.setNewObjectId(id);
      update.setExpectedOldObjectId(parent == null ? ObjectId.zeroId() : parent);
      RefUpdate.Result result = update.update();
      if (result != (parent == null ? RefUpdate.Result.NEW : RefUpdate.Result.FAST_FORWARD)) {
        throw new IOException("cannot " + (parent == null ? "create" : "move") + " branch " + BRANCH + ": " + result);
      }
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
        Files.delete(p);
      }
    }
  }
}
