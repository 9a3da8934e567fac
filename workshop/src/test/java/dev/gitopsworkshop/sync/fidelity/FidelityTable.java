package dev.gitopsworkshop.sync.fidelity;

import java.util.Comparator;
import java.util.List;

/** The fidelity table as the README prints it: a line per row, by kind, then field, then name. */
public final class FidelityTable {
  public static final String START = "<!-- fidelity:start (generated from workshop/src/test/resources/fidelity by FidelityTableTest) -->\n";
  public static final String END = "<!-- fidelity:end -->";

  private FidelityTable() {}

  public static String render(List<FidelityRow> rows) {
    StringBuilder sb = new StringBuilder();
    sb.append("| Kind | Field or annotation | Embedded operator | Shown by (row in `workshop/src/test/resources/fidelity/`) |\n");
    sb.append("|---|---|---|---|\n");
    rows.stream()
        .sorted(Comparator.comparing(FidelityRow::kind).thenComparing(FidelityRow::field).thenComparing(FidelityRow::name))
        .forEach(r -> sb.append("| ").append(r.kind()).append(" | `").append(r.field().replace("|", "\\|")).append("` | ")
            .append(r.honoured() ? "honoured" : "**refused** (use `--cluster k3s`)").append(" | `")
            .append(r.where()).append("` |\n"));
    return sb.toString();
  }
}
