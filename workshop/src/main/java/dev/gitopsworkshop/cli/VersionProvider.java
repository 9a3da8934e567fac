package dev.gitopsworkshop.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** The version the build wrote into the jar, plus the Java it runs on. */
final class VersionProvider implements IVersionProvider {
  @Override
  public String[] getVersion() throws IOException {
    return new String[] {
      "gitops-workshop " + version(),
      "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"
    };
  }

  static String version() throws IOException {
    Properties props = new Properties();
    try (InputStream in = VersionProvider.class.getResourceAsStream("/workshop-version.properties")) {
      if (in != null) {
        props.load(in);
      }
    }
    return props.getProperty("workshop.version", "unknown");
  }
}
