package dev.gitopsworkshop.tutorial;

/** A fact about the live lab that proves a step done. */
public interface Check {
  CheckResult evaluate(TutorialContext context);

  /** Called when the step begins, to remember what "before" looked like (a uid, a time). */
  default void begin(TutorialContext context) {}

  String describe();
}
