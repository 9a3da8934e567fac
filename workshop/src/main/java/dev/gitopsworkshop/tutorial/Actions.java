package dev.gitopsworkshop.tutorial;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.gitopsworkshop.WorkshopException;
import dev.gitopsworkshop.cluster.KubeClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RemoteRefUpdate;

/**
 * The solve actions: what a participant types, done with git (JGit, through the lab's Git server)
 * and the Kubernetes API, in the workspace clone.
 */
final class Actions {
  private static final YAMLMapper YAML = new YAMLMapper();
  static final PersonIdent SOLVER = new PersonIdent("Participant (solved by the workshop)", "participant@gitops-workshop.local");

  private Actions() {}

  /** {@code clone}: the workshop repository into the workspace (or brought up to date if there). */
  record Clone() implements Action {
    @Override
    public void run(TutorialContext c) throws Exception {
      Path ws = c.workspace();
      if (Files.exists(ws.resolve(".git"))) {
        try (Git git = Git.open(ws.toFile())) {
          git.pull().setCredentialsProvider(c.gitCredentials()).setRebase(true).call();
        }
        return;
      }
      Git.cloneRepository().setURI(c.lab().gitUrl()).setDirectory(ws.toFile()).setBranch("main")
          .setCredentialsProvider(c.gitCredentials()).call().close();
    }

    @Override
    public String describe() {
      return "git clone the workshop repository";
    }
  }

  record Pull() implements Action {
    @Override
    public void run(TutorialContext c) throws Exception {
      try (Git git = Git.open(c.workspace().toFile())) {
        git.pull().setCredentialsProvider(c.gitCredentials()).setRebase(true).call();
      }
    }

    @Override
    public String describe() {
      return "git pull";
    }
  }

  record RemoveFile(String path) implements Action {
    @Override
    public void run(TutorialContext c) throws Exception {
      Files.deleteIfExists(c.workspace().resolve(path));
    }

    @Override
    public String describe() {
      return "git rm " + path;
    }
  }

  /** {@code removeWorkspace}: the lab's workspace clone goes (undoing step 0). */
  record RemoveWorkspace() implements Action {
    @Override
    public void run(TutorialContext c) throws Exception {
      Path ws = c.workspace();
      if (Files.exists(ws)) {
        try (var walk = Files.walk(ws)) {
          for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
            Files.delete(p);
          }
        }
      }
    }

    @Override
    public String describe() {
      return "rm -rf " + "the workspace clone";
    }
  }

  /** {@code kubectlDelete}: every object of a workspace file deleted, as {@code kubectl delete -f}. */
  record KubectlDelete(String file) implements Action {
    @Override
    public void run(TutorialContext c) throws Exception {
      for (JsonNode doc : YAML.readValues(YAML.createParser(Files.readString(c.workspace().resolve(file))), JsonNode.class).readAll()) {
        if (doc instanceof ObjectNode o && o.has("kind")) {
          c.kube().resource(o.path("apiVersion").asText(), o.path("kind").asText()).ifPresent(r ->
              c.kube().delete(r.path(r.namespaced() ? o.at("/metadata/namespace").asText("default") : null, o.at("/metadata/name").asText())));
        }
      }
    }

    @Override
    public String describe() {
      return "kubectl delete -f " + file;
    }
  }

  record Copy(String from, String to) implements Action {
    @Override
    public void run(TutorialContext c) throws Exception {
      Path source = c.workspace().resolve(from);
      if (!Files.isRegularFile(source)) {
        throw new WorkshopException(from + " is not in the workspace", "is step 0 done?");
      }
      Path target = c.workspace().resolve(to);
      Files.createDirectories(target.getParent());
      Files.copy(source, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public String describe() {
      return "cp " + from + " " + to;
    }
  }

  /** {@code setField}: one scalar in a YAML file, edited in place so comments and layout stay. */
  record SetField(String file, String path, String value) implements Action {
    @Override
    public void run(TutorialContext c) throws Exception {
      Path target = c.workspace().resolve(file);
      List<String> lines = new ArrayList<>(Files.readAllLines(target));
      String[] keys = path.split("\\.");
      int from = 0;
      int indent = -1;
      for (int k = 0; k < keys.length; k++) {
        int found = -1;
        for (int i = from; i < lines.size(); i++) {
          String line = lines.get(i);
          int lead = line.length() - line.stripLeading().length();
          if (!line.isBlank() && !line.stripLeading().startsWith("#") && lead <= indent && i > from) {
            break;
          }
          if (lead > indent && line.stripLeading().startsWith(keys[k] + ":")) {
            found = i;
            indent = lead;
            break;
          }
        }
        if (found < 0) {
          throw new WorkshopException(file + " has no field " + path, "check the file in the workspace");
        }
        from = found;
      }
      String line = lines.get(from);
      int colon = line.indexOf(':');
      String comment = line.contains(" #") ? line.substring(line.indexOf(" #")) : "";
      lines.set(from, line.substring(0, colon + 1) + " " + value + comment);
      Files.write(target, lines);
    }

    @Override
    public String describe() {
      return "set " + path + " to " + value + " in " + file;
    }
  }

  record Commit(String message) implements Action {
    @Override
    public void run(TutorialContext c) throws Exception {
      try (Git git = Git.open(c.workspace().toFile())) {
        git.add().addFilepattern(".").call();
        git.add().addFilepattern(".").setUpdate(true).call();
        if (git.status().call().isClean()) {
          return;
        }
        git.commit().setMessage(message).setAuthor(SOLVER).setCommitter(SOLVER).call();
      }
    }

    @Override
    public String describe() {
      return "git commit -m \"" + message + "\"";
    }
  }

  record Push() implements Action {
    @Override
    public void run(TutorialContext c) throws Exception {
      try (Git git = Git.open(c.workspace().toFile())) {
        for (PushResult result : git.push().setCredentialsProvider(c.gitCredentials()).setRemote("origin").call()) {
          for (RemoteRefUpdate u : result.getRemoteUpdates()) {
            if (u.getStatus() != RemoteRefUpdate.Status.OK && u.getStatus() != RemoteRefUpdate.Status.UP_TO_DATE) {
              throw new WorkshopException("git push was refused: " + u.getStatus() + (u.getMessage() == null ? "" : " " + u.getMessage()),
                  "pull first (someone else pushed), then push again");
            }
          }
        }
      }
    }

    @Override
    public String describe() {
      return "git push";
    }
  }

  /** {@code kubectlApply}: every object of a workspace file, applied server-side as kubectl does. */
  record KubectlApply(String file) implements Action {
    @Override
    public void run(TutorialContext c) throws Exception {
      Path target = c.workspace().resolve(file);
      List<ObjectNode> objects = new ArrayList<>();
      for (JsonNode doc : YAML.readValues(YAML.createParser(Files.readString(target)), JsonNode.class).readAll()) {
        if (doc instanceof ObjectNode o && o.has("kind")) {
          objects.add(o);
        }
      }
      objects.sort((a, b) -> Integer.compare(rank(a), rank(b)));
      for (ObjectNode o : objects) {
        apply(c.kube(), o);
      }
    }

    private static int rank(JsonNode o) {
      return switch (o.path("kind").asText()) {
        case "Namespace" -> 0;
        case "CustomResourceDefinition" -> 1;
        default -> 2;
      };
    }

    @Override
    public String describe() {
      return "kubectl apply -f " + file;
    }
  }

  static void apply(KubeClient kube, ObjectNode o) {
    String kind = o.path("kind").asText();
    String name = o.at("/metadata/name").asText();
    KubeClient.Resource r = kube.resource(o.path("apiVersion").asText(), kind)
        .orElseThrow(() -> new WorkshopException("the cluster has no kind " + kind + " (" + o.path("apiVersion").asText() + ")",
            "install what defines it first"));
    String ns = r.namespaced() ? o.at("/metadata/namespace").asText("default") : null;
    kube.apply(r.path(ns, name), o, "kubectl", false);
  }

  record CreateSecret(String namespace, String name, Map<String, String> data) implements Action {
    @Override
    public void run(TutorialContext c) {
      ObjectNode secret = KubeClient.JSON.createObjectNode();
      secret.put("apiVersion", "v1");
      secret.put("kind", "Secret");
      secret.putObject("metadata").put("name", name).put("namespace", namespace);
      secret.put("type", "Opaque");
      ObjectNode d = secret.putObject("data");
      data.forEach((k, v) -> d.put(k, Base64.getEncoder().encodeToString(c.fill(v).getBytes(StandardCharsets.UTF_8))));
      apply(c.kube(), secret);
    }

    @Override
    public String describe() {
      return "kubectl -n " + namespace + " create secret generic " + name;
    }
  }

  record DeleteObject(String apiVersion, String kind, String namespace, String name) implements Action {
    @Override
    public void run(TutorialContext c) {
      KubeClient.Resource r = c.kube().resource(apiVersion, kind)
          .orElseThrow(() -> new WorkshopException("the cluster has no kind " + kind, "is the step before done?"));
      c.kube().delete(r.path(namespace, name));
    }

    @Override
    public String describe() {
      return "kubectl delete " + kind.toLowerCase() + " " + name;
    }
  }
}
