package dev.gitopsworkshop.state;

/**
 * The paths of the lab console's control endpoints: what only the lab's own process can do, offered
 * to the lab's commands (the instructor's demos) with the console token lab.json holds. The lab
 * serves them; the demos call them; both read the paths from here.
 */
public final class ControlPaths {
  /** {@code GET}: {@code {"enabled": true}}; {@code PUT {"enabled": false}} answers {@code previous}. */
  public static final String NUDGE = "/control/nudge";

  /** {@code POST {"yesDeleteNamespace": false}}: a new, empty cluster in place of this one. */
  public static final String REPLACE_CLUSTER = "/control/cluster/replace";

  /** {@code POST}: the operator installed again from the workshop repository's {@code flux/}. */
  public static final String RESTORE_OPERATOR = "/control/operator/restore";

  private ControlPaths() {}
}
