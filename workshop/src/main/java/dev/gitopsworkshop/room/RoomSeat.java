package dev.gitopsworkshop.room;

/**
 * A participant's place in a room: the room's address ({@code http://host:port/}), the name and
 * password the instructor gave. The password never appears in {@link #toString()}.
 */
public record RoomSeat(String url, String name, String password) {
  public RoomSeat {
    url = RoomUrls.normalise(url);
  }

  @Override
  public String toString() {
    return "RoomSeat[" + name + " at " + url + "]";
  }
}
