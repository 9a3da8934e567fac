package dev.gitopsworkshop.git;

import dev.gitopsworkshop.lab.DataDir;
import dev.gitopsworkshop.lab.ProjectContent;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A room: one repository and one account per participant ({@code NAME.git}, user {@code NAME}),
 * each account able to read and push only its own repository. Works on the data directory, whether
 * or not the server runs; a running server picks up new accounts from credentials.json.
 */
public final class Room {
  /** One participant's seat: name, repository URL, password. */
  public record Seat(String name, String url, String password, boolean created) {}

  private final DataDir dir;
  private final AccountStore accounts;
  private final Repositories repositories;
  private final ServerState server;

  private Room(DataDir dir) {
    this.dir = dir;
    this.accounts = AccountStore.open(dir);
    this.repositories = new Repositories(dir.git());
    this.server = ServerState.loadOrAllocate(dir);
  }

  public static Room of(DataDir dir) {
    return new Room(dir.ensureWritable());
  }

  /**
   * Adds participants (names already checked or not); existing ones are kept as they are. The
   * cluster reaches the room's repositories at {@code clusterBaseUrl} (null: the same URL).
   */
  public List<Seat> add(List<String> names, ProjectContent content, String clusterBaseUrl) {
    Set<String> wanted = new LinkedHashSet<>();
    names.forEach(name -> wanted.add(RepositoryName.checkAccount(name)));
    String clusterBase = clusterBaseUrl != null ? clusterBaseUrl : server.baseUrl();
    Set<String> created = new LinkedHashSet<>();
    for (String name : wanted) {
      String repository = name + ".git";
      if (repositories.ensureSeeded(repository, content, clusterBase + "/" + repository)) {
        created.add(name);
      }
    }
    Map<String, AccountStore.Entry> all =
        accounts.update(
            entries -> {
              for (String name : wanted) {
                if (entries.putIfAbsent(
                        name,
                        new AccountStore.Entry(
                            new Account(name, AccountStore.newPassword()), Set.of(name + ".git")))
                    == null) {
                  created.add(name);
                }
              }
              return entries;
            });
    List<Seat> seats = new ArrayList<>();
    for (String name : wanted) {
      seats.add(seat(all.get(name), created.contains(name)));
    }
    return seats;
  }

  /** Every room participant, in the order they were added. */
  public List<Seat> list() {
    List<Seat> seats = new ArrayList<>();
    for (AccountStore.Entry entry : accounts.all()) {
      String name = entry.account().username();
      if (!name.equals(AccountStore.PARTICIPANT) && !name.equals(AccountStore.OPERATOR)) {
        seats.add(seat(entry, false));
      }
    }
    return seats;
  }

  private Seat seat(AccountStore.Entry entry, boolean created) {
    String name = entry.account().username();
    return new Seat(name, server.baseUrl() + "/" + name + ".git", entry.account().password(), created);
  }

}
