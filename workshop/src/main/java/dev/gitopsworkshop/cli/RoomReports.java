package dev.gitopsworkshop.cli;

import dev.gitopsworkshop.WorkshopException;
import dev.gitopsworkshop.git.GitRemote;
import dev.gitopsworkshop.room.RoomReporter;
import dev.gitopsworkshop.room.RoomSeat;
import dev.gitopsworkshop.state.DataDir;
import dev.gitopsworkshop.state.LabFile;
import dev.gitopsworkshop.tutorial.TutorialContext;

/** The tutorial commands' side of a room: reporting a joined lab's step events, and not mixing two rooms. */
final class RoomReports {
  private RoomReports() {}

  /** Reports the context's step events to the lab's room, if it joined one; close to stop. */
  static AutoCloseable attach(LabFile lab, DataDir dir, TutorialContext context) {
    String url = lab.get("room", "url");
    if (url == null) {
      return () -> { };
    }
    RoomReporter reporter = RoomReporter.start(dir, new RoomSeat(url, lab.get("room", "name"), lab.gitPassword()));
    context.listen(reporter);
    return reporter;
  }

  /** A run on a running lab given another room or Git than the lab has: refused, saying which. */
  static void requireSame(LabFile lab, DataDir dir, GitRemote remote, RoomSeat seat) {
    if (seat != null && (!seat.url().equals(lab.get("room", "url")) || !seat.name().equals(lab.get("room", "name")))) {
      throw WorkshopException.usage("the lab running in " + dir.root() + " has not joined " + seat.url() + " as " + seat.name()
          + (lab.get("room", "url") == null ? "" : " (it is " + lab.get("room", "name") + " at " + lab.get("room", "url") + ")"),
          "leave --room out to use that lab, or stop it and run again to start one in the room");
    }
    if (remote != null && !remote.url().equals(lab.gitUrl())) {
      throw WorkshopException.usage("the lab running in " + dir.root() + " uses the Git at " + lab.gitUrl() + ", not " + remote.url(),
          "leave --git-remote out to use that lab, or stop it and run again");
    }
  }
}
