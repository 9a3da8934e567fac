package dev.gitopsworkshop.lab;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitopsworkshop.support.FluxReleaseFixture;
import dev.gitopsworkshop.support.RunningLab;
import dev.gitopsworkshop.sync.FluxManifests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the user's cache holds Flux's release manifest ({@code prefetch} put it there), an
 * embedded lab installs that one rather than the project's offline one: the workshop repository's
 * flux/install.yaml, which the participant applies, is the release's.
 */
class CachedReleaseManifestIT {
  @TempDir Path tmp;

  @Test
  void anEmbeddedLabUsesTheReleaseManifestPrefetchCached() throws Exception {
    Path cached = tmp.resolve("cache/gitops-workshop/flux-" + FluxManifests.VERSION + "-install.yaml");
    Files.createDirectories(cached.getParent());
    Files.writeString(cached, "# the release, as prefetch saved it\n" + Files.readString(FluxReleaseFixture.file()));
    try (RunningLab lab = RunningLab.up(tmp, tmp.resolve("lab"), Map.of("XDG_CACHE_HOME", tmp.resolve("cache").toString()))) {
      Path clone = lab.cloneWorkshop(tmp.resolve("clone"));
      String install = Files.readString(clone.resolve("flux/install.yaml"));
      assertTrue(install.startsWith("# the release, as prefetch saved it\n"), install.lines().findFirst().orElse(""));
      lab.installOperator(clone);
      assertTrue(lab.kubectl("get", "crd", "helmreleases.helm.toolkit.fluxcd.io").ok().out().contains("helmreleases"));
    }
  }
}
