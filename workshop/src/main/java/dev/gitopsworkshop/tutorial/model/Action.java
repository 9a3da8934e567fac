package dev.gitopsworkshop.tutorial.model;


import dev.gitopsworkshop.tutorial.TutorialContext;

/** Something a participant would do to solve a step, done for them (with git and the API). */
public interface Action {
  void run(TutorialContext context) throws Exception;

  /** What it does, in a few words, as the command a participant would type. */
  String describe();

  /**
   * What the lab does in answer to this act, when it is the point of the step ({@code "push to
   * applied"}); the runner times it from the act's end to the checks holding. Null otherwise.
   */
  default String reaction() {
    return null;
  }

  /** Whether it works in (or reads from) the workspace clone. */
  default boolean usesWorkspace() {
    return false;
  }
}
