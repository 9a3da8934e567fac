package dev.gitopsworkshop.cluster.embedded;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One change to a stored object, as a watch delivers it.
 *
 * @param type ADDED, MODIFIED or DELETED
 * @param resource the {@code group/plural} of the object
 * @param object a copy of the object after the change (for DELETED: as it was, with the deletion's
 *     resourceVersion)
 * @param previous a copy of the object before the change (null for ADDED)
 */
public record WatchEvent(
    String type, String resource, ObjectNode object, ObjectNode previous, long revision) {
  public static final String ADDED = "ADDED";
  public static final String MODIFIED = "MODIFIED";
  public static final String DELETED = "DELETED";
}
