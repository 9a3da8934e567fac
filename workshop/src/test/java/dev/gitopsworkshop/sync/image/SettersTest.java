package dev.gitopsworkshop.sync.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class SettersTest {
  private static final Map<String, Setters.Ref> POLICIES = Map.of("flux-system:podinfo", new Setters.Ref("ghcr.io/stefanprodan/podinfo", "6.5.4"));

  @Test
  void onlyMarkedLinesChangeAndTheRestStaysAsWritten() {
    String file = """
        # podinfo, pinned
        spec:
          containers:
            - name: podinfo
              image: ghcr.io/stefanprodan/podinfo:6.5.0 # {"$imagepolicy": "flux-system:podinfo"}
            - name: sidecar
              image: ghcr.io/stefanprodan/podinfo:6.5.0
        """;
    Setters.Result r = Setters.apply("dep.yaml", file, POLICIES);
    assertEquals(file.replace("podinfo:6.5.0 # {", "podinfo:6.5.4 # {"), r.content());
    assertEquals(1, r.changes().size());
    Setters.Change c = r.changes().get(0);
    assertEquals(5, c.line());
    assertEquals("ghcr.io/stefanprodan/podinfo:6.5.0", c.oldValue());
    assertEquals("ghcr.io/stefanprodan/podinfo:6.5.4", c.newValue());
    assertTrue(r.content().contains("    - name: sidecar\n      image: ghcr.io/stefanprodan/podinfo:6.5.0\n"), "the unmarked line stays");
  }

  @Test
  void tagAndNameMarkersRewriteOnlyTheirPartKeepingQuotes() {
    String file = """
        images:
          - name: "ghcr.io/stefanprodan/podinfo" # {"$imagepolicy": "flux-system:podinfo:name"}
            newTag: '6.5.0' # {"$imagepolicy": "flux-system:podinfo:tag"}
        list:
          - ghcr.io/stefanprodan/podinfo:6.5.1   #  {"$imagepolicy":"flux-system:podinfo"}
        """;
    Setters.Result r = Setters.apply("kustomization.yaml", file, POLICIES);
    assertTrue(r.content().contains("newTag: '6.5.4' # {"), r.content());
    assertTrue(r.content().contains("- ghcr.io/stefanprodan/podinfo:6.5.4   #  {"), r.content());
    assertEquals(2, r.changes().size(), "the name was already right");
  }

  @Test
  void unknownPoliciesOddMarkersAndUpToDateLinesAreLeftAlone() {
    String file = """
        a: ghcr.io/x/y:1.0 # {"$imagepolicy": "flux-system:other"}
        b: ghcr.io/x/y:1.0 # {"$imagepolicy": "flux-system:podinfo:digest"}
        c: ghcr.io/stefanprodan/podinfo:6.5.4 # {"$imagepolicy": "flux-system:podinfo"}
        d: ghcr.io/x/y:1.0 # a comment that mentions $imagepolicy
        """;
    Setters.Result r = Setters.apply("f.yaml", file, POLICIES);
    assertEquals(file, r.content());
    assertTrue(r.changes().isEmpty());
  }

  @Test
  void windowsLineEndingsSurvive() {
    String file = "image: ghcr.io/stefanprodan/podinfo:6.5.0 # {\"$imagepolicy\": \"flux-system:podinfo\"}\r\nnext: 1\r\n";
    Setters.Result r = Setters.apply("f.yaml", file, POLICIES);
    assertEquals(file.replace("6.5.0", "6.5.4"), r.content());
  }
}
