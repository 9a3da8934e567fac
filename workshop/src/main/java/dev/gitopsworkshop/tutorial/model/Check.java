package dev.gitopsworkshop.tutorial.model;

import dev.gitopsworkshop.tutorial.TutorialContext;
import java.util.List;

/** A fact about the live lab that proves a step done. */
public interface Check {
  CheckResult evaluate(TutorialContext context);

  /** Called when the step begins, to remember what "before" looked like (a uid, a commit). */
  default void begin(TutorialContext context) {}

  String describe();

  /** The kinds whose changes can change this check's answer, as {@code apiVersion/kind}. */
  default List<Kind> watches() {
    return List.of();
  }

  /** A kind of Kubernetes object, by apiVersion and kind. */
  record Kind(String apiVersion, String kind) {}
}
