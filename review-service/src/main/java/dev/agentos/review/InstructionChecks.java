package dev.agentos.review;

import dev.agentos.error.AgentOsException;
import dev.agentos.instruction.Instruction;
import dev.agentos.spec.TasksFile;
import dev.agentos.state.Check;
import dev.agentos.state.CycleState;
import dev.agentos.workspace.WorkspaceFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The checks an instruction asks Review for: files that must exist, a task list (tasks.md, or an
 * Agent OS v3 plan.md) that must parse with at least one task.
 */
final class InstructionChecks {
  private InstructionChecks() {}

  static List<Check> run(Instruction instruction, Path workspace, CycleState state) {
    List<Check> checks = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    WorkspaceFiles files = WorkspaceFiles.of(workspace);
    for (String file : instruction.checks().files()) {
      String path = Instruction.fill(file, state.spec(), state.goal());
      try {
        if (!Files.isRegularFile(files.resolve(path, "check"))) {
          missing.add(path);
        }
      } catch (AgentOsException e) {
        missing.add(path + " (it leads outside the workspace)");
      }
    }
    if (!instruction.checks().files().isEmpty()) {
      checks.add(
          new Check(
              "the " + instruction.name() + " files exist",
              missing.isEmpty(),
              missing.isEmpty()
                  ? instruction.checks().files().size() + " files written"
                  : "missing: " + String.join(", ", missing)));
    }
    if (instruction.checks().tasks() != null) {
      checks.add(
          tasksParse(
              Instruction.fill(instruction.checks().tasks(), state.spec(), state.goal()),
              workspace));
    }
    return checks;
  }

  private static Check tasksParse(String path, Path workspace) {
    String name = path + " parses with at least one task";
    Optional<String> text;
    try {
      text = WorkspaceFiles.of(workspace).read(path, "check");
    } catch (AgentOsException e) {
      return new Check(name, false, e.getMessage());
    }
    if (text.isEmpty()) {
      return new Check(name, false, path + " does not exist");
    }
    // An Agent OS v3 plan.md holds its tasks as "## Task N: Title" sections, without boxes.
    boolean plan = path.endsWith("/plan.md") || path.equals("plan.md");
    TasksFile tasks = plan ? TasksFile.parsePlan(text.get()) : TasksFile.parse(text.get());
    if (tasks.tasks().isEmpty()) {
      String issues =
          tasks.issues().isEmpty() ? "" : "; the parser says: " + String.join("; ", tasks.issues());
      return new Check(
          name,
          false,
          (plan
                  ? "no task found: write '## Task 1: Title' sections"
                  : "no task found: write checkbox tasks such as '- [ ] 1. Title' with"
                      + " '  - [ ] 1.1 Sub-task' lines (or '- [ ] T001 ...' lines)")
              + issues);
    }
    return new Check(name, true, tasks.tasks().size() + " tasks");
  }
}
