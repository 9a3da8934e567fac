package dev.gitopsworkshop.sync.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CommitMessageTest {
  private static final List<Setters.Change> CHANGES = List.of(
      new Setters.Change("a.yaml", 3, "img:6.5.0", "img:6.5.4", "flux-system:podinfo"),
      new Setters.Change("b.yaml", 9, "6.5.0", "6.5.4", "flux-system:podinfo:tag"));

  @Test
  void noTemplateGivesFluxsDefaultMessage() {
    assertEquals("Update from image update automation", CommitMessage.render(null, "flux-system/workshop", CHANGES));
  }

  @Test
  void theWorkshopsTemplateListsEachChange() {
    String template = """
        Update image from {{ .AutomationObject }}

        {{ range .Changed.Changes -}}
        - {{ .OldValue }} -> {{ .NewValue }}
        {{ end -}}
        """;
    assertEquals("Update image from flux-system/workshop\n\n- img:6.5.0 -> img:6.5.4\n- 6.5.0 -> 6.5.4\n",
        CommitMessage.render(template, "flux-system/workshop", CHANGES));
  }

  @Test
  void printAndPrintlnInsideTheRange() {
    assertEquals("img:6.5.0 -> img:6.5.4\n6.5.0 -> 6.5.4\n",
        CommitMessage.render("{{range .Changed.Changes}}{{print .OldValue}} -> {{println .NewValue}}{{end}}", "ns/n", CHANGES));
  }

  @Test
  void whatItCannotRenderIsRefusedWithWhatItSupports() {
    CommitMessage.TemplateFailure e = assertThrows(CommitMessage.TemplateFailure.class,
        () -> CommitMessage.render("{{ range $f, $_ := .Changed.FileChanges }}{{ $f }}{{ end }}", "ns/n", CHANGES));
    assertTrue(e.getMessage().contains("does not support") && e.getMessage().contains(".AutomationObject"), e.getMessage());
    assertThrows(CommitMessage.TemplateFailure.class, () -> CommitMessage.render("{{ range .Changed.Changes }}x", "ns/n", CHANGES));
  }
}
