package dev.gitopsworkshop.support;

import java.util.List;

/** A screen's size in CSS pixels, as a browser at 100% zoom shows a page on it. */
public record Screen(int width, int height) {
  /** Common projector modes: 4:3 XGA, 16:9 720p and 1080p. A page for the room must be legible on each. */
  public static final List<Screen> PROJECTOR_MODES = List.of(new Screen(1024, 768), new Screen(1280, 720), new Screen(1920, 1080));

  /** {@code 1024x768}, for file names and messages. */
  @Override
  public String toString() {
    return width + "x" + height;
  }
}
