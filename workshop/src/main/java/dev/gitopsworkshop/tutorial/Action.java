package dev.gitopsworkshop.tutorial;

/** Something a participant would do to solve a step, done for them (with git and the API). */
public interface Action {
  void run(TutorialContext context) throws Exception;

  /** What it does, in a few words, for progress lines. */
  String describe();
}
