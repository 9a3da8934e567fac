package dev.gitopsworkshop.tutorial.model;

/**
 * What a step's checks noted when the step began (a uid, a commit, a file's content), kept in the
 * data dir so that a check from another terminal reads the same: an act counts only when it was
 * made after its step began.
 */
public interface StepMemory {
  /** A memory that holds nothing: the step has not begun. */
  StepMemory NONE = new StepMemory() {
    @Override
    public int step() {
      return -1;
    }

    @Override
    public boolean began() {
      return false;
    }

    @Override
    public String recalled(String key) {
      return null;
    }

    @Override
    public void remember(String key, String value) {
      throw new IllegalStateException("a step that has not begun remembers nothing");
    }
  };

  /** The step's number. */
  int step();

  /** Whether the step has begun on this lab (a runner showed it, or 'reset'/'check' began it). */
  boolean began();

  String recalled(String key);

  /** Notes a value (null: the thing did not exist then). */
  void remember(String key, String value);
}
