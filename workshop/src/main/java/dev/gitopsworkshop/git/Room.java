package dev.gitopsworkshop.git;

import dev.gitopsworkshop.WorkshopException;
import dev.gitopsworkshop.state.DataDir;
import dev.gitopsworkshop.state.ProjectContent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A room: one repository and one account per participant, for an instructor who serves the whole
 * room from one Git server. Each account reads and writes only its own repository. Works whether
 * the server runs or not; a running server sees new accounts at once.
 */
public final class Room {
  private final DataDir dataDir;
  private final GitCredentials credentials;

  private Room(DataDir dataDir, GitCredentials credentials) {
    this.dataDir = dataDir;
    this.credentials = credentials;
  }

  public static Room of(DataDir dataDir) {
    return new Room(dataDir, GitCredentials.loadOrCreate(dataDir.ensureWritable()));
  }

  /** Adds participants (existing names are kept as they are) and seeds their repositories. */
  public List<Account> add(List<String> names, ProjectContent content, String clusterGitUrlBase) {
    names.forEach(RepositoryNames::requireValidAccount);
    List<Account> added = new ArrayList<>();
    for (String name : names) {
      Account account = credentials.addRoomAccount(name);
      try {
        WorkshopRepository.createIfMissing(
            dataDir.git().resolve(account.repository()), content, clusterGitUrlBase + account.repository());
      } catch (IOException e) {
        throw new WorkshopException("cannot create " + account.repository() + ": " + e.getMessage(), null, e);
      }
      added.add(account);
    }
    return added;
  }

  public List<Account> accounts() {
    return credentials.room();
  }

  /** {@code http://host:port/} of this data dir's server (the port it used last, or will use). */
  public String baseUrl(String host) {
    return "http://" + host + ":" + credentials.port().map(String::valueOf).orElse("PORT") + "/";
  }
}
