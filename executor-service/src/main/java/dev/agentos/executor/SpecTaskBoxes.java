package dev.agentos.executor;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.spec.Checkbox;
import dev.agentos.spec.Task;
import dev.agentos.spec.TaskRef;
import dev.agentos.spec.TasksFile;
import dev.agentos.state.CycleState;
import dev.agentos.state.PlanStep;
import dev.agentos.workspace.WorkspaceFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Ticks a step's task in the spec's tasks.md (or a v3 plan.md with boxes) when the step completes
 * (its open sub-tasks, then the task), and puts the Agent OS blocking-issue marker under it when
 * the step fails for good. Every edit changes only the lines it must; the rest of the file stays
 * byte for byte.
 */
public final class SpecTaskBoxes implements TaskBoxes {
  private static final int REASON_CHARS = 300;

  @Override
  public void tick(Path workspace, CycleState state, PlanStep step) {
    edit(workspace, state, step, text -> tickAll(text, TaskRef.parse(step.taskRef())));
  }

  @Override
  public void markBlocked(Path workspace, CycleState state, PlanStep step, String reason) {
    String oneLine = reason == null ? "unknown" : reason.replaceAll("\\s+", " ").strip();
    String shortReason =
        oneLine.length() <= REASON_CHARS ? oneLine : oneLine.substring(0, REASON_CHARS) + "…";
    edit(
        workspace,
        state,
        step,
        text -> TasksFile.markBlocked(text, TaskRef.parse(step.taskRef()), shortReason));
  }

  static String tickAll(String text, TaskRef ref) {
    Task task =
        TasksFile.parse(text)
            .find(ref)
            .orElseThrow(
                () -> new AgentOsException(ErrorCode.NOT_FOUND, "tasks.md has no task " + ref));
    List<TaskRef> open = new ArrayList<>();
    collectOpenLeaves(task, open);
    String result = text;
    for (TaskRef leaf : open) {
      result = TasksFile.tickWithParents(result, leaf);
    }
    Task after = TasksFile.parse(result).find(ref).orElseThrow();
    if (after.checkbox() == Checkbox.UNTICKED) {
      result = TasksFile.tick(result, ref);
    }
    return result;
  }

  private static void collectOpenLeaves(Task task, List<TaskRef> into) {
    if (task.subTasks().isEmpty()) {
      if (task.checkbox() == Checkbox.UNTICKED) {
        into.add(task.ref());
      }
      return;
    }
    for (Task sub : task.subTasks()) {
      collectOpenLeaves(sub, into);
    }
  }

  private static void edit(
      Path workspace, CycleState state, PlanStep step, UnaryOperator<String> change) {
    if (state.spec() == null || step.taskRef() == null) {
      return;
    }
    WorkspaceFiles files = WorkspaceFiles.of(workspace);
    String relative = state.spec() + "/tasks.md";
    Optional<String> read = files.read(relative, "spec");
    if (read.isEmpty()) {
      // An Agent OS v3 spec plans from plan.md. Written as v3 writes it, it has no boxes and is
      // never edited; some teams put boxes in its task headings ("### [ ] Task 2: ..."), and those
      // are ticked like any other.
      relative = state.spec() + "/plan.md";
      read = files.read(relative, "spec").filter(t -> TasksFile.parsePlan(t).hasCheckboxes());
      if (read.isEmpty()) {
        return;
      }
    }
    String text = read.get();
    String changed = change.apply(text);
    if (!changed.equals(text)) {
      // Written atomically through the confined writer: a link in its place is replaced, never
      // followed out of the workspace.
      files.write(relative, "spec", changed);
    }
  }
}
