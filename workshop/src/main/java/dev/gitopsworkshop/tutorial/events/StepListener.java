package dev.gitopsworkshop.tutorial.events;

/** Hears a runner's step events (a room's reporter); must not block, and must not throw. */
@FunctionalInterface
public interface StepListener {
  void stepEvent(StepEvent event);
}
