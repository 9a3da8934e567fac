package dev.gitopsworkshop.registry;

import dev.gitopsworkshop.Mappers;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gitopsworkshop.WorkshopException;
import dev.gitopsworkshop.console.LabConsole;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * The lab's tag registry on the lab console: the OCI tag listing open to anyone on this machine
 * ({@code /v2/...}, the token endpoint), and {@code POST /control/registry/tags} (console token
 * needed) to publish a tag, as an instructor's {@code scripts/workshop registry tag} does.
 */
public final class LabRegistry {
  /** The control endpoint that publishes a tag: form fields {@code repository} and {@code tag}. */
  public static final String PUBLISH_PATH = "/control/registry/tags";
  private static final ObjectMapper JSON = Mappers.JSON;

  private LabRegistry() {}

  public static void serve(LabConsole console, TagStore tags) {
    RegistryServlet registry = new RegistryServlet(tags);
    console.page("/v2", registry);
    console.page(RegistryServlet.TOKEN_PATH, registry);
    console.control(PUBLISH_PATH, new Publish(tags));
  }

  private static final class Publish extends HttpServlet {
    private final TagStore tags;

    Publish(TagStore tags) {
      this.tags = tags;
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
      String repository = req.getParameter("repository");
      String tag = req.getParameter("tag");
      ObjectNode body = JSON.createObjectNode();
      if (repository == null || tag == null) {
        resp.setStatus(400);
        body.put("error", "give the form fields repository and tag");
      } else {
        try {
          boolean added = tags.publish(repository, tag);
          resp.setStatus(added ? 201 : 200);
          body.put("repository", repository).put("tag", tag).put("published", added);
        } catch (WorkshopException e) {
          resp.setStatus(400);
          body.put("error", e.getMessage()).put("hint", e.hint());
        }
      }
      resp.setContentType("application/json");
      resp.getOutputStream().write(JSON.writeValueAsBytes(body));
    }
  }
}
