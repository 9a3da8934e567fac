package dev.gitopsworkshop.cli;

import dev.gitopsworkshop.lab.Prefetch;
import dev.gitopsworkshop.state.ProjectContent;
import dev.gitopsworkshop.sync.FluxManifests;
import java.io.PrintWriter;
import java.net.URI;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code workshop prefetch}: download now what a real-cluster lab needs, for a room with bad Wi-Fi. */
@Command(
    name = "prefetch",
    mixinStandardHelpOptions = true,
    description = {
      "Download now what a k3s lab downloads at start, so that it later starts offline.",
      "Flux's install manifest goes into the per-user cache (the folder gitops-workshop in $XDG_CACHE_HOME, by default in ~/.cache); "
          + "where Docker answers, the k3s image is pulled and the images of Flux's controllers and podinfo are "
          + "saved there as a tarball that k3s loads at start. Without Docker it says what it skipped."
    })
public final class PrefetchCommand implements Callable<Integer> {
  @Option(names = "--flux-url", paramLabel = "URL",
      description = "Where to download Flux's install.yaml from (a mirror). Default: the release asset of Flux "
          + FluxManifests.VERSION + " on GitHub.",
      defaultValue = "https://github.com/fluxcd/flux2/releases/download/" + FluxManifests.VERSION + "/install.yaml")
  URI fluxUrl;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    List<String> images = Prefetch.run(fluxUrl, ProjectContent.locate(), line -> {
      err.println(Console.action(line));
      err.flush();
    });
    err.println(Console.success(images.isEmpty()
        ? "Flux's manifest is in " + FluxManifests.cachedFile()
        : "Flux's manifest and " + images.size() + " images are in " + FluxManifests.cacheDir()));
    err.flush();
    return 0;
  }
}
