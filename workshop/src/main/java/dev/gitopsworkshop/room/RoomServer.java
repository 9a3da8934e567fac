package dev.gitopsworkshop.room;

import dev.gitopsworkshop.Mappers;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gitopsworkshop.WorkshopException;
import dev.gitopsworkshop.console.StateFeed;
import dev.gitopsworkshop.git.Account;
import dev.gitopsworkshop.git.GitServer;
import dev.gitopsworkshop.git.Room;
import dev.gitopsworkshop.state.DataDir;
import dev.gitopsworkshop.state.DataDirLock;
import dev.gitopsworkshop.state.LabFile;
import dev.gitopsworkshop.state.ProjectContent;
import dev.gitopsworkshop.tutorial.model.Step;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The instructor's room on one port: the room's Git (one repository and one account per
 * participant, as {@code git room} made them) and, beside it, the board ({@code /room}, its JSON
 * at {@code /room/state}, live at {@code /room/events}) and the participants' API
 * ({@code /room/api/join}, {@code /room/api/events}, with their own accounts). The room's URL is
 * in the data dir's lab.json as {@code room.url}.
 */
public final class RoomServer implements AutoCloseable {
  public static final String PATH = "/room";
  private static final Logger LOG = LoggerFactory.getLogger(RoomServer.class);
  private static final ObjectMapper JSON = Mappers.JSON;
  /** Changes are gathered this long before the board gets a new state. */
  static final long DEBOUNCE_MILLIS = 100;
  /** The board's times move on without events: a new state this often all the same. */
  static final long TICK_SECONDS = 5;

  /**
   * How to serve.
   *
   * @param port null: the port this data dir used last time, else any free one
   * @param url the room's address as participants reach it; null: worked out from the bind address
   */
  public record Options(DataDir dataDir, String bind, Integer port, String url, long maxPushBytes, ProjectContent content,
      List<Step> steps) {}

  private final DataDir dataDir;
  private final DataDirLock owner;
  private final Room room;
  private final RoomEvents events;
  private final Board board;
  private final StateFeed feed = new StateFeed(32);
  private final ScheduledExecutorService work = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "room-board");
    t.setDaemon(true);
    return t;
  });
  private final AtomicBoolean refreshPending = new AtomicBoolean();
  private volatile GitServer git;
  private volatile String url;

  private RoomServer(DataDir dataDir, DataDirLock owner, Room room, RoomEvents events, Board board) {
    this.dataDir = dataDir;
    this.owner = owner;
    this.room = room;
    this.events = events;
    this.board = board;
  }

  public static RoomServer start(Options options) {
    DataDir dir = options.dataDir().ensureWritable();
    DataDirLock owner = DataDirLock.acquire(dir, "room serve");
    try {
      return start(options, dir, owner);
    } catch (RuntimeException e) {
      owner.close();
      throw e;
    }
  }

  private static RoomServer start(Options options, DataDir dir, DataDirLock owner) {
    RoomEvents events;
    try {
      events = RoomEvents.open(dir.resolve("room-events.jsonl"));
    } catch (IOException e) {
      throw new WorkshopException("cannot read the room's events in " + dir.resolve("room-events.jsonl") + ": " + e.getMessage(),
          "check the data dir's permissions", e);
    }
    RoomServer server = new RoomServer(dir, owner, Room.of(dir), events, new Board(options.steps().stream().map(s -> new Board.Column(s.id(), s.title(), s.budget())).toList()));
    server.git = GitServer.start(new GitServer.Options(dir, options.bind(), options.port(), options.maxPushBytes(), options.content(), null),
        RoomPages.routes(server));
    server.url = options.url() != null ? RoomUrls.normalise(options.url()) : RoomUrls.advertised(options.bind(), server.git.port());
    try {
      RoomUrls.remember(dir, server.url);
      LabFile lab = LabFile.empty();
      lab.put("room", "url", server.url).put("room", "board", server.url + "room").put("room", "state", server.url + "room/state");
      lab.json().put("pid", ProcessHandle.current().pid());
      lab.write(dir);
    } catch (IOException e) {
      server.close();
      throw new WorkshopException("cannot write " + dir.labJson() + ": " + e.getMessage(), "check the data dir", e);
    }
    events.onChange(server::refreshSoon);
    server.refresh();
    server.work.scheduleWithFixedDelay(server::refresh, TICK_SECONDS, TICK_SECONDS, TimeUnit.SECONDS);
    return server;
  }

  /** {@code http://host:port/}: what participants give as {@code --room}. */
  public String url() {
    return url;
  }

  public String boardUrl() {
    return url + "room";
  }

  public List<Account> participants() {
    return room.accounts();
  }

  /** A participant's repository on this room's Git. */
  String repositoryUrl(Account account) {
    return url + account.repository();
  }

  RoomEvents events() {
    return events;
  }

  StateFeed feed() {
    return feed;
  }

  /** The board's state now, as JSON text. */
  String stateNow() {
    try {
      List<String> names = room.accounts().stream().map(Account::username).toList();
      return JSON.writeValueAsString(board.state(names, events, Instant.now()));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private void refreshSoon() {
    if (refreshPending.compareAndSet(false, true)) {
      work.schedule(() -> {
        refreshPending.set(false);
        refresh();
      }, DEBOUNCE_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  private void refresh() {
    try {
      feed.publish(stateNow());
    } catch (RuntimeException e) {
      LOG.warn("the room board could not be refreshed", e);
    }
  }

  @Override
  public void close() {
    work.shutdownNow();
    feed.close();
    if (git != null) {
      git.close();
    }
    try {
      Files.deleteIfExists(dataDir.labJson());
    } catch (IOException e) {
      LOG.warn("cannot remove {} (the next start replaces it): {}", dataDir.labJson(), e.toString());
    }
    owner.close();
  }
}
