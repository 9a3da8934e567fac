package dev.gitopsworkshop.tutorial;

import dev.gitopsworkshop.Shell;
import dev.gitopsworkshop.WorkshopException;
import dev.gitopsworkshop.kube.Kube;
import dev.gitopsworkshop.state.CurrentStep;
import dev.gitopsworkshop.state.DataDir;
import dev.gitopsworkshop.state.GitCredentialStore;
import dev.gitopsworkshop.state.LabFile;
import dev.gitopsworkshop.state.PrintedCommands;
import dev.gitopsworkshop.tutorial.events.StepEvent;
import dev.gitopsworkshop.tutorial.events.StepListener;
import dev.gitopsworkshop.tutorial.model.Step;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the tutorial sees of a lab, whatever runs it: the Kubernetes API (from the kubeconfig named
 * in lab.json), the workshop repository's URL and the participant's credentials, and the workspace
 * clone where solve actions work as a participant would.
 */
public final class TutorialContext implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TutorialContext.class);
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*(?:workshop\\s+([^}]+?)|([\\w.]+))\\s*}}");
  private final LabFile lab;
  private final DataDir dataDir;
  private volatile Kube kube;
  private final Progress progress;
  private final GitObserver git;
  private final List<StepListener> listeners = new CopyOnWriteArrayList<>();

  public TutorialContext(LabFile lab, DataDir dataDir) {
    this.lab = lab;
    this.dataDir = dataDir;
    this.git = new GitObserver(this);
    this.progress = new Progress(dataDir);
  }

  /** Where the tutorial stands in this data dir: when each step began, what its checks noted. */
  public Progress progress() {
    return progress;
  }

  public DataDir dataDir() {
    return dataDir;
  }

  /** The workshop repository as the Git server holds it. */
  /**
   * Runs {@code look} as one look at the lab (a step's checks, or every step's): Git's main fetched
   * once, and each kind the cluster does not serve asked about once; its checks agree on one moment.
   */
  public <T> T oneLook(java.util.function.Supplier<T> look) {
    return git.oneLook(() -> Kube.oneLook(look));
  }

  public GitObserver git() {
    return git;
  }

  /** The Kubernetes API, from the kubeconfig lab.json names (made on first use). */
  public Kube kube() {
    Kube k = kube;
    if (k == null) {
      synchronized (this) {
        if (kube == null) {
          kube = Kube.fromKubeconfig(Path.of(lab.kubeconfig()));
        }
        k = kube;
      }
    }
    return k;
  }

  public LabFile lab() {
    return lab;
  }

  /** The participant's clone the solve actions work in: {@code <data-dir>/workspace}. */
  public Path workspace() {
    return dataDir.workspace();
  }

  public UsernamePasswordCredentialsProvider gitCredentials() {
    return new UsernamePasswordCredentialsProvider(lab.gitUsername(), lab.gitPassword());
  }

  /**
   * What step 0 tells the participant to run: {@code git clone} of the workshop repository into
   * the workspace, with the data dir's credential store as the clone's credential helper, so that
   * pushes by hand ask for no password and none is written into the clone.
   */
  public String cloneCommand() {
    return GitCredentialStore.cloneCommand(dataDir, lab.gitUrl(), workspace().toString());
  }

  /** The {@code credential.helper} values a clone of the workshop repository gets (see {@link GitCredentialStore}). */
  public List<String> credentialHelpers() {
    return GitCredentialStore.helpers(dataDir);
  }

  /**
   * Tells the room which step is in progress (and how it ended): {@code <data-dir>/step.json},
   * which the projector view shows. It only informs, so a file that cannot be written is no error.
   */
  public void reportStep(Step step, CurrentStep.State state) {
    switch (state) {
      case IN_PROGRESS -> stepEvent(StepEvent.of(StepEvent.Type.STARTED, step.id()));
      case DONE -> stepEvent(StepEvent.of(StepEvent.Type.DONE, step.id()));
      case FAILED -> stepEvent(StepEvent.of(StepEvent.Type.FAILED, step.id()));
      default -> { } // the participant quit: the step stays in progress for the room
    }
    try {
      new CurrentStep(step.id(), step.slug(), step.title(), state, Instant.now()).write(dataDir);
    } catch (IOException e) {
      LOG.warn("cannot write the current step for the projector (it shows an older step; the tutorial goes on)", e);
    }
  }

  /** Adds a listener for the runners' step events (a room's reporter). */
  public void listen(StepListener listener) {
    listeners.add(listener);
  }

  /** Tells the listeners what happened to a step (a hint shown, the solve key, a failing check...). */
  public void stepEvent(StepEvent event) {
    listeners.forEach(l -> l.stepEvent(event));
  }

  /**
   * Fills in {@code {{git.url}}}-style placeholders from lab.json (and a few derived values). Paths
   * come quoted for the shell where they need it, so that a command with them can be pasted;
   * {@code {{workshop ARGS}}} is the tool's own command for this lab, runnable from any folder.
   */
  public String fill(String text) {
    Matcher m = PLACEHOLDER.matcher(text);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String value = m.group(1) != null ? PrintedCommands.workshopAnywhere(dataDir, m.group(1).strip()) : value(m.group(2));
      m.appendReplacement(sb, Matcher.quoteReplacement(value));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  private String value(String name) {
    return switch (name) {
      case "git.cloneCommand" -> cloneCommand();
      case "dataDir" -> Shell.quote(dataDir.root());
      case "workspace" -> Shell.quote(workspace());
      case "kubeconfig" -> Shell.quote(lab.kubeconfig());
      default -> {
        int dot = name.indexOf('.');
        String v = dot < 0 ? null : lab.get(name.substring(0, dot), name.substring(dot + 1));
        yield v == null ? "{{" + name + "}}" : v;
      }
    };
  }

  /** This context, once the lab's Kubernetes API has answered; a clear error when it does not. */
  public TutorialContext requireAnswering() {
    try {
      kube().knows("v1", "Namespace");
      return this;
    } catch (RuntimeException e) {
      close();
      throw new WorkshopException("the lab in " + dataDir.root() + " does not answer (its Kubernetes API: " + e.getMessage() + ")",
          "it may be stopping: wait a moment, or stop it (Ctrl-C in its terminal) and start it again", e);
    }
  }

  /** Closes the cluster client, if one was made. */
  @Override
  public synchronized void close() {
    if (kube != null) {
      kube.close();
      kube = null;
    }
  }
}
