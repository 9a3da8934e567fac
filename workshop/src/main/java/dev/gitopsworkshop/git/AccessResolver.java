package dev.gitopsworkshop.git;

import jakarta.servlet.http.HttpServletRequest;
import org.eclipse.jgit.errors.RepositoryNotFoundException;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.resolver.FileResolver;
import org.eclipse.jgit.transport.resolver.RepositoryResolver;
import org.eclipse.jgit.transport.resolver.ServiceNotAuthorizedException;
import org.eclipse.jgit.transport.resolver.ServiceNotEnabledException;

/**
 * Opens a repository only when its name is well formed, it exists, and the authenticated account
 * may use it; anything else is "not found" (404), so a room account cannot even learn that another
 * participant's repository exists.
 */
final class AccessResolver implements RepositoryResolver<HttpServletRequest> {
  private final Repositories repositories;
  private final FileResolver<HttpServletRequest> files;

  AccessResolver(Repositories repositories) {
    this.repositories = repositories;
    this.files = new FileResolver<>(repositories.base().toFile(), true);
  }

  @Override
  public Repository open(HttpServletRequest request, String name)
      throws RepositoryNotFoundException, ServiceNotAuthorizedException, ServiceNotEnabledException {
    String clean = name.startsWith("/") ? name.substring(1) : name;
    if (!RepositoryName.isValid(clean) || !repositories.exists(clean)) {
      throw new RepositoryNotFoundException(clean);
    }
    Object account = request.getAttribute(BasicAuthFilter.ACCOUNT_ATTRIBUTE);
    if (!(account instanceof AccountStore.Entry entry) || !entry.repositories().contains(clean)) {
      throw new RepositoryNotFoundException(clean);
    }
    return files.open(request, clean);
  }
}
