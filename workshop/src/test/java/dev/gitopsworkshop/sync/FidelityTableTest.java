package dev.gitopsworkshop.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gitopsworkshop.support.Cli;
import dev.gitopsworkshop.sync.fidelity.FidelityRow;
import dev.gitopsworkshop.sync.fidelity.FidelityTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README prints the fidelity table made from the rows FluxFidelityIT runs; this keeps the two
 * in step. To refresh the README: {@code mvn -o -B test -Dtest=FidelityTableTest -Dreadme.update=true}.
 */
class FidelityTableTest {
  @Test
  void readmeShowsTheTableOfTheCurrentRows() throws Exception {
    List<FidelityRow> rows = FidelityRow.load(FluxFidelityIT.rowsDir());
    Path readme = Cli.projectRoot().resolve("README.md");
    String text = Files.readString(readme);
    int a = text.indexOf(FidelityTable.START);
    assertTrue(a >= 0, "README has no fidelity table marker: " + FidelityTable.START);
    a += FidelityTable.START.length();
    int b = text.indexOf(FidelityTable.END, a);
    String expected = FidelityTable.render(rows);
    if (Boolean.getBoolean("readme.update")) {
      Files.writeString(readme, text.substring(0, a) + expected + text.substring(b));
      return;
    }
    assertEquals(expected, text.substring(a, b),
        "README's fidelity table is stale: run mvn -o -B test -Dtest=FidelityTableTest -Dreadme.update=true");
  }

  @Test
  void noRowIsIgnored() {
    List<FidelityRow> rows = FidelityRow.load(FluxFidelityIT.rowsDir());
    assertFalse(rows.isEmpty());
    rows.forEach(r -> assertTrue(r.verdict().equals("honoured") || r.verdict().equals("refused"), r.where()));
  }

  @Test
  void aRowSaysWhatIsWrongWithIt() {
    var bad = assertThrows(RuntimeException.class, () -> parse("rows:\n  - kind: Kustomization\n    field: spec.x\n    verdict: ignored\n"
        + "    expect: [{absent: {kind: ConfigMap, name: x}}]\n"));
    assertEquals("f.yaml row 1 (f-1): verdict must be 'honoured' or 'refused' (never 'ignored'), not 'ignored'", bad.getMessage());
    bad = assertThrows(RuntimeException.class, () -> parse("rows:\n  - kind: Kustomization\n    field: spec.x\n    verdict: honoured\n"
        + "    expect: [{present: {kind: ConfigMap, name: x}}]\n"));
    assertTrue(bad.getMessage().startsWith("f.yaml row 1 (f-1): each expectation is one of"), bad.getMessage());
    bad = assertThrows(RuntimeException.class, () -> parse("rows:\n  - kind: Kustomization\n    field: spec.x\n    verdict: honoured\n"
        + "    aply: x\n    expect: [{absent: {kind: ConfigMap, name: x}}]\n"));
    assertTrue(bad.getMessage().startsWith("f.yaml row 1 (f-1): unknown key 'aply'"), bad.getMessage());
  }

  @Test
  void theRowNameReplacesItsPlaceholderEverywhere() {
    FidelityRow row = parse("rows:\n  - name: my-row\n    kind: Kustomization\n    field: spec.x\n    verdict: honoured\n"
        + "    repo: {\"${row}/cm.yaml\": \"namespace: ${row}\"}\n    expect: [{absent: {kind: ConfigMap, name: \"${row}-x\"}}]\n"
        + "    then:\n      - kubectl: [delete, ns, \"${row}\"]\n        expect: [{absent: {kind: Namespace, name: \"${row}\"}}]\n").get(0);
    assertEquals("namespace: my-row", row.phases().get(0).repo().get("my-row/cm.yaml"));
    assertEquals("my-row-x", row.phases().get(0).expect().get(0).at("/absent/name").asText());
    assertEquals(List.of("delete", "ns", "my-row"), row.phases().get(1).kubectl());
  }

  @Test
  void theLabsValuesAreFilledInWhenARowRuns() {
    FidelityRow row = parse("rows:\n  - kind: GitRepository\n    field: spec.url\n    verdict: honoured\n"
        + "    apply: \"url: ${url}\"\n    expect: [{ready: {kind: GitRepository, name: \"${row}\", messageContains: \"${url}\"}}]\n").get(0);
    FidelityRow.Phase filled = FidelityRow.fill(row.phases().get(0), java.util.Map.of("${url}", "http://git/workshop.git"));
    assertEquals("url: http://git/workshop.git", filled.apply());
    assertEquals("http://git/workshop.git", filled.expect().get(0).at("/ready/messageContains").asText());
    assertEquals("f-1", filled.expect().get(0).at("/ready/name").asText());
  }

  private static List<FidelityRow> parse(String text) {
    return FidelityRow.parse("f.yaml", text);
  }
}
