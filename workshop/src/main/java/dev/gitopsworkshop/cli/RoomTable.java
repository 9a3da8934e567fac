package dev.gitopsworkshop.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.gitopsworkshop.git.Room;
import java.io.PrintWriter;
import java.util.List;

/** Prints room seats as an aligned table or as JSON. */
final class RoomTable {
  enum Format {
    TABLE,
    JSON
  }

  private RoomTable() {}

  static void print(PrintWriter out, List<Room.Seat> seats, boolean json) {
    if (json) {
      ArrayNode array = new ObjectMapper().createArrayNode();
      for (Room.Seat seat : seats) {
        array.addObject().put("name", seat.name()).put("url", seat.url()).put("password", seat.password());
      }
      out.println(array.toPrettyString());
    } else {
      int name = "NAME".length();
      int url = "URL".length();
      for (Room.Seat seat : seats) {
        name = Math.max(name, seat.name().length());
        url = Math.max(url, seat.url().length());
      }
      String format = "%-" + name + "s  %-" + url + "s  %s%n";
      out.printf(format, "NAME", "URL", "PASSWORD");
      for (Room.Seat seat : seats) {
        out.printf(format, seat.name(), seat.url(), seat.password());
      }
    }
    out.flush();
  }
}
