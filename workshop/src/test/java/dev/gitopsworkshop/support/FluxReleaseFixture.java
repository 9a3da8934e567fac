package dev.gitopsworkshop.support;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/**
 * The test resource {@code flux-release/install.yaml}: a file shaped like Flux v2.9.4's release
 * {@code install.yaml} (no version label, seven controllers, RBAC, NetworkPolicies, all of Flux's
 * CRDs), unlike the project's own offline {@code flux/install.yaml}.
 */
public final class FluxReleaseFixture {
  /** The release whose controllers the fixture runs. */
  public static final String VERSION = "v2.9.4";

  private FluxReleaseFixture() {}

  public static Path file() {
    URL url = FluxReleaseFixture.class.getResource("/flux-release/install.yaml");
    if (url == null) {
      throw new AssertionError("flux-release/install.yaml is not on the test classpath");
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new AssertionError(e);
    }
  }
}
