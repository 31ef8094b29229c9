package dev.agentos.service;

import dev.agentos.api.InstructionRules;
import dev.agentos.error.AgentOsException;
import dev.agentos.instruction.Instruction;
import dev.agentos.instruction.InstructionCatalog;
import dev.agentos.spec.SpecLayoutFiles;
import java.nio.file.Path;
import java.time.Instant;

/** The submit rules of the instructions a workspace can use, read from the catalog. */
public final class CatalogInstructionRules implements InstructionRules {
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
      return new Resolved(spec != null ? spec : newSpecFolder(workspace, goal, now), true);
    }
    return new Resolved(spec, false);
  }

  /** Where a new spec goes, in the workspace's own layout (see {@link SpecLayoutFiles}). */
  static String newSpecFolder(Path workspace, String goal, Instant now) {
    return SpecLayoutFiles.newSpecFolder(workspace, goal, now);
  }
}
