package dev.gitopsworkshop.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.gitopsworkshop.Mappers;
import dev.gitopsworkshop.git.Account;
import dev.gitopsworkshop.room.RoomUrls;
import dev.gitopsworkshop.state.DataDir;
import dev.gitopsworkshop.state.LabFile;
import java.io.PrintWriter;
import java.util.List;

/** The room's participants as the instructor hands them out: one join line each, or JSON for scripts. */
final class RoomJoinLines {

  private RoomJoinLines() {}

  /** The room's address: the serving room's, else the one it had last time, else null. */
  static String roomUrl(DataDir dir) {
    if (LabFile.exists(dir)) {
      String url = LabFile.read(dir).get("room", "url");
      if (url != null) {
        return url;
      }
    }
    return RoomUrls.remembered(dir).orElse(null);
  }

  static String join(String roomUrl, Account a) {
    return "scripts/workshop run --room " + roomUrl + " --name " + a.username() + " --password " + a.password();
  }

  static void print(PrintWriter out, List<Account> accounts, String roomUrl, boolean json) throws Exception {
    String url = roomUrl == null ? "http://HOST:PORT/" : roomUrl;
    if (json) {
      ArrayNode array = Mappers.JSON.createArrayNode();
      for (Account a : accounts) {
        array.addObject().put("name", a.username()).put("url", url + a.repository()).put("password", a.password())
            .put("room", url).put("join", join(url, a));
      }
      out.println(Mappers.PRETTY.writeValueAsString(array));
      return;
    }
    int width = Math.max(4, accounts.stream().mapToInt(a -> a.username().length()).max().orElse(4));
    out.printf("%-" + width + "s  %s%n", "NAME", "JOIN LINE (to paste on the participant's laptop)");
    for (Account a : accounts) {
      out.printf("%-" + width + "s  %s%n", a.username(), join(url, a));
    }
    out.flush();
  }
}
