package dev.gitopsworkshop.sync.image;

import dev.gitopsworkshop.kube.Kube;
import dev.gitopsworkshop.sync.Reconciler;
import java.nio.file.Path;
import java.util.List;

/** The embedded equivalents of Flux's two image controllers, as their pods start them. */
public final class ImageControllers {
  private ImageControllers() {}

  /** image-reflector-controller: scans ImageRepositories, resolves ImagePolicies (sharing the scan results). */
  public static List<Reconciler> reflector(Kube api, RegistryMirrors mirrors) {
    TagDatabase database = new TagDatabase();
    return List.of(new ImageRepositoryController(api, database, mirrors), new ImagePolicyController(api, database));
  }

  /** image-automation-controller: writes the policies' tags to Git; {@code workDir} holds its checkouts. */
  public static List<Reconciler> automation(Kube api, Path workDir) {
    return List.of(new ImageUpdateAutomationController(api, new GitUpdate(workDir)));
  }
}
