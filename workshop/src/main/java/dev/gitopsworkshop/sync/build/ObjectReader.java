package dev.gitopsworkshop.sync.build;

import com.fasterxml.jackson.databind.JsonNode;

/** How the build reads the few objects it needs (ConfigMaps, Secrets, ServiceAccounts) from the cluster. */
public interface ObjectReader {
  /** The object of that core kind, or null when there is none. */
  JsonNode get(String kind, String namespace, String name);
}
