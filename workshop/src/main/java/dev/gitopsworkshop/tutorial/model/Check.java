package dev.gitopsworkshop.tutorial.model;

import dev.gitopsworkshop.tutorial.TutorialContext;
import java.util.List;

/** A fact about the live lab that proves a step done. */
public interface Check {
  /**
   * Whether the fact holds now; {@code memory} is what this step's checks noted when it began
   * (checks of an act compare with it).
   */
  CheckResult evaluate(TutorialContext context, StepMemory memory);

  /** Called when the step begins, to note what "before" looked like (a uid, a commit). */
  default void begin(TutorialContext context, StepMemory memory) {}

  String describe();

  /** The kinds whose changes can change this check's answer, as {@code apiVersion/kind}. */
  default List<Kind> watches() {
    return List.of();
  }

  /** Whether this check reads the cluster (then kubectl's access to the lab matters for it). */
  default boolean readsCluster() {
    return !watches().isEmpty();
  }

  /** A check of the lab as it is, which needs no memory of the step's beginning. */
  interface OfState extends Check {
    CheckResult evaluate(TutorialContext context);

    @Override
    default CheckResult evaluate(TutorialContext context, StepMemory memory) {
      return evaluate(context);
    }
  }

  /** A kind of Kubernetes object, by apiVersion and kind. */
  record Kind(String apiVersion, String kind) {}
}
