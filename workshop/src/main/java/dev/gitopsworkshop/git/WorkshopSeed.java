package dev.gitopsworkshop.git;

import dev.gitopsworkshop.lab.ProjectContent;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
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

/**
 * The first commit of a workshop repository: the project's {@code examples/} and {@code flux/}
 * (with {@code ${WORKSHOP_GIT_URL}} replaced), an empty {@code deploy/kubernetes/} and a README
 * for the participant.
 */
public final class WorkshopSeed {
  public static final String URL_PLACEHOLDER = "${WORKSHOP_GIT_URL}";
  static final PersonIdent AUTHOR = new PersonIdent("gitops-workshop", "workshop@localhost");

  private final ProjectContent content;
  private final String url;

  public WorkshopSeed(ProjectContent content, String url) {
    this.content = content;
    this.url = url;
  }

  /** The files of the first commit, path to bytes, in path order. */
  public Map<String, byte[]> files() throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    addTree(files, content.examples(), "examples/", false);
    addTree(files, content.flux(), "flux/", true);
    files.put("deploy/kubernetes/.gitkeep", new byte[0]);
    files.put("README.md", readme());
    return files;
  }

  /** Writes the first commit on {@code refs/heads/main} of an empty repository. */
  public ObjectId commitTo(Repository repository) throws IOException {
    try (ObjectInserter inserter = repository.newObjectInserter()) {
      DirCache index = DirCache.newInCore();
      DirCacheBuilder builder = index.builder();
      for (Map.Entry<String, byte[]> file : files().entrySet()) {
        DirCacheEntry entry = new DirCacheEntry(file.getKey());
        entry.setFileMode(FileMode.REGULAR_FILE);
        entry.setObjectId(inserter.insert(Constants.OBJ_BLOB, file.getValue()));
        builder.add(entry);
      }
      builder.finish();
      CommitBuilder commit = new CommitBuilder();
      commit.setTreeId(index.writeTree(inserter));
      commit.setAuthor(AUTHOR);
      commit.setCommitter(AUTHOR);
      commit.setMessage("Workshop content: examples, Flux configuration, deploy/kubernetes\n");
      ObjectId id = inserter.insert(commit);
      inserter.flush();
      RefUpdate update = repository.updateRef("refs/heads/main");
      update.setNewObjectId(id);
      update.setExpectedOldObjectId(ObjectId.zeroId());
      update.setRefLogMessage("workshop: seed", false);
      RefUpdate.Result result = update.update();
      if (result != RefUpdate.Result.NEW) {
        throw new IOException("could not create main: " + result);
      }
      return id;
    }
  }

  private void addTree(Map<String, byte[]> files, Path dir, String prefix, boolean substitute)
      throws IOException {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path file : paths.filter(Files::isRegularFile).sorted().toList()) {
        String relative = dir.relativize(file).toString().replace('\\', '/');
        byte[] bytes = Files.readAllBytes(file);
        files.put(prefix + relative, substitute ? substituteUrl(bytes) : bytes);
      }
    }
  }

  /** Replaces the URL placeholder in text files; binary files are kept as they are. */
  byte[] substituteUrl(byte[] bytes) {
    try {
      String text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
      if (text.indexOf('\0') >= 0 || !text.contains(URL_PLACEHOLDER)) {
        return bytes;
      }
      return text.replace(URL_PLACEHOLDER, url).getBytes(StandardCharsets.UTF_8);
    } catch (CharacterCodingException e) {
      return bytes;
    }
  }

  private static byte[] readme() throws IOException {
    try (InputStream in = WorkshopSeed.class.getResourceAsStream("participant-README.md")) {
      if (in == null) {
        throw new IOException("the participant README is missing from the jar");
      }
      return in.readAllBytes();
    }
  }
}
