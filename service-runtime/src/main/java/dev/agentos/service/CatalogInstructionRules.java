package dev.agentos.service;

import dev.agentos.api.InstructionRules;
import dev.agentos.error.AgentOsException;
import dev.agentos.instruction.Instruction;
import dev.agentos.instruction.InstructionCatalog;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** The submit rules of the instructions a workspace can use, read from the catalog. */
public final class CatalogInstructionRules implements InstructionRules {
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

  private final InstructionCatalog catalog;

  public CatalogInstructionRules(InstructionCatalog catalog) {
    this.catalog = catalog;
  }

  @Override
  public void requireKnown(String name, Path workspace) {
    catalog.require(name, workspace);
  }

  @Override
  public Resolved resolve(
      String instruction, Path workspace, String goal, String spec, Instant now) {
    Instruction found = catalog.require(instruction, workspace);
    if (found.needs() == Instruction.Needs.GOAL && goal == null) {
      throw AgentOsException.invalid(
          "give a goal: instruction " + instruction + " works from a goal (what to achieve)");
    }
    if (found.needs() == Instruction.Needs.SPEC && spec == null) {
      throw AgentOsException.invalid(
          "give a spec: instruction "
              + instruction
              + " works on an existing spec folder (e.g. .agent-os/specs/2026-11-20-cart)");
    }
    if (found.createsSpec()) {
      return new Resolved(spec != null ? spec : datedSpec(goal, now), true);
    }
    return new Resolved(spec, false);
  }

  /** {@code .agent-os/specs/2026-11-29-let-customers-keep-items}: the Agent OS spec folder name. */
  static String datedSpec(String goal, Instant now) {
    String slug =
        goal.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
    String[] words = slug.split("-");
    StringBuilder name = new StringBuilder();
    for (int i = 0; i < words.length && i < 6 && name.length() < 40; i++) {
      name.append(name.isEmpty() ? "" : "-").append(words[i]);
    }
    return ".agent-os/specs/" + DAY.format(now) + "-" + (name.isEmpty() ? "spec" : name);
  }
}
