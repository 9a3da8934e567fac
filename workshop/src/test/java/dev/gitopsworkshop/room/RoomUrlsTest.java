package dev.gitopsworkshop.room;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitopsworkshop.WorkshopException;
import org.junit.jupiter.api.Test;

class RoomUrlsTest {
  @Test
  void aRoomsAddressAsTypedOrAsTheBoardShowsItIsTheSame() {
    assertEquals("http://10.0.0.5:8080/", RoomUrls.normalise("http://10.0.0.5:8080"));
    assertEquals("http://10.0.0.5:8080/", RoomUrls.normalise("http://10.0.0.5:8080/"));
    assertEquals("http://10.0.0.5:8080/", RoomUrls.normalise("http://10.0.0.5:8080/room"));
    assertEquals("https://room.example/ws/", RoomUrls.normalise("https://room.example/ws/room/"));
  }

  @Test
  void refusesWhatIsNoRoomsAddress() {
    for (String bad : new String[] {"10.0.0.5:8080", "ftp://10.0.0.5/", "http:///room", "http://alice:pw@10.0.0.5:8080/"}) {
      WorkshopException e = assertThrows(WorkshopException.class, () -> RoomUrls.normalise(bad), bad);
      assertEquals(WorkshopException.USAGE, e.exitCode());
      assertTrue(e.getMessage().contains("room's address"), e.getMessage());
    }
  }

  @Test
  void aRoomOnLoopbackIsAdvertisedThere() {
    assertEquals("http://127.0.0.1:4000/", RoomUrls.advertised("127.0.0.1", 4000));
    assertEquals("http://10.1.2.3:4000/", RoomUrls.advertised("10.1.2.3", 4000));
    assertEquals("http://[fd00::1]:4000/", RoomUrls.advertised("fd00::1", 4000));
  }
}
