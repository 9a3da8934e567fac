package dev.gitopsworkshop.git;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.Collection;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.ReceiveCommand;
import org.eclipse.jgit.transport.ReceivePack;
import org.eclipse.jgit.transport.resolver.ReceivePackFactory;
import org.eclipse.jgit.transport.resolver.ServiceNotAuthorizedException;

/**
 * Receive-pack for authenticated users with the workshop's rules: a bounded pack size, no
 * non-fast-forward updates, {@code main} cannot be deleted; accepted updates go to {@link PushEvents}.
 */
final class GuardedReceivePackFactory implements ReceivePackFactory<HttpServletRequest> {
  static final String MAIN = "refs/heads/main";

  private final long maxPushSize;
  private final PushEvents events;

  GuardedReceivePackFactory(long maxPushSize, PushEvents events) {
    this.maxPushSize = maxPushSize;
    this.events = events;
  }

  @Override
  public ReceivePack create(HttpServletRequest request, Repository db)
      throws ServiceNotAuthorizedException {
    String user = request.getRemoteUser();
    if (user == null) {
      throw new ServiceNotAuthorizedException();
    }
    ReceivePack pack = new ReceivePack(db);
    pack.setRefLogIdent(new PersonIdent(user, user + "@workshop"));
    pack.setAllowNonFastForwards(false);
    pack.setAtomic(false);
    if (maxPushSize > 0) {
      pack.setMaxPackSizeLimit(maxPushSize);
    }
    pack.setPreReceiveHook(GuardedReceivePackFactory::refuseDeletingMain);
    String repository = repositoryName(db);
    pack.setPostReceiveHook((rp, commands) -> publish(repository, commands));
    return pack;
  }

  private static void refuseDeletingMain(ReceivePack pack, Collection<ReceiveCommand> commands) {
    for (ReceiveCommand command : commands) {
      if (command.getType() == ReceiveCommand.Type.DELETE && MAIN.equals(command.getRefName())
          && command.getResult() == ReceiveCommand.Result.NOT_ATTEMPTED) {
        command.setResult(
            ReceiveCommand.Result.REJECTED_OTHER_REASON, "main cannot be deleted in the workshop");
      }
    }
  }

  private void publish(String repository, Collection<ReceiveCommand> commands) {
    Instant at = Instant.now();
    for (ReceiveCommand command : commands) {
      if (command.getResult() == ReceiveCommand.Result.OK) {
        events.publish(
            new PushEvent(
                repository,
                command.getRefName(),
                command.getOldId().name(),
                command.getNewId().name(),
                at));
      }
    }
  }

  private static String repositoryName(Repository db) {
    java.io.File dir = db.getDirectory();
    return dir == null ? "unknown" : dir.getName();
  }
}
