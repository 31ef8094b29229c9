package dev.agentos.cli;

import java.util.ArrayList;
import java.util.List;

/** The text form of the doctor's checks: a status word, the name, what it saw, how to fix it. */
public final class DoctorReport {
  private DoctorReport() {}

  public static List<String> lines(List<DoctorCheck> checks, Style style) {
    List<String> lines = new ArrayList<>();
    int width = checks.stream().mapToInt(c -> c.name().length()).max().orElse(0);
    for (DoctorCheck check : checks) {
      String level =
          switch (check.level()) {
            case OK -> style.green("ok  ");
            case WARN -> style.yellow("WARN");
            case FAIL -> style.red("FAIL");
            case SKIP -> style.dim("skip");
          };
      lines.add(
          level
              + "  "
              + check.name()
              + " ".repeat(width - check.name().length())
              + "  "
              + check.detail());
      if (check.fix() != null) {
        lines.add("      " + " ".repeat(width) + "  fix: " + check.fix());
      }
    }
    return lines;
  }
}
