package dev.gitopsworkshop.cli;

import dev.gitopsworkshop.Shell;
import dev.gitopsworkshop.state.DataDir;
import dev.gitopsworkshop.state.GitCredentialStore;
import dev.gitopsworkshop.state.LabFile;
import dev.gitopsworkshop.state.PrintedCommands;
import dev.gitopsworkshop.state.RunningLab;
import java.io.PrintWriter;
import java.net.URI;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code workshop env}: shell exports that point a terminal at the running lab. */
@Command(name = "env", mixinStandardHelpOptions = true,
    description = {
      "Print shell exports for the lab running in the data dir: KUBECONFIG (kubectl's way to its cluster), "
          + "WORKSHOP_GIT_URL (the workshop repository: git clone \"$WORKSHOP_GIT_URL\") and a credential helper "
          + "for the lab's Git server only (GIT_CONFIG_*), which reads the password from the data dir.",
      "Run them in a terminal with: eval \"$(scripts/workshop env)\" (add --data-dir DIR for another lab)."
    })
public final class EnvCommand implements Callable<Integer> {
  @Mixin DataDirOption dataDirOption;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    DataDir dir = dataDirOption.dataDir();
    LabFile lab = RunningLab.require(dir);
    PrintWriter out = spec.commandLine().getOut();
    out.println(PrintedCommands.exportKubeconfig(lab.kubeconfig()));
    out.println("export WORKSHOP_GIT_URL=" + Shell.quote(lab.gitUrl()));
    // scoped to the lab's server (credential.<url>.helper), so the user's other remotes keep their own helpers
    URI server = URI.create(lab.gitUrl());
    out.println("export GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=" + Shell.quote("credential." + server.getScheme() + "://"
        + server.getRawAuthority() + ".helper") + " GIT_CONFIG_VALUE_0=" + Shell.quote(GitCredentialStore.helper(dir)));
    out.flush();
    if (Console.isTerminal()) {
      PrintWriter err = spec.commandLine().getErr();
      err.println(Console.action("to run these in this shell: eval \"$(" + PrintedCommands.workshop(dir, "env") + ")\""));
      err.flush();
    }
    return 0;
  }
}
