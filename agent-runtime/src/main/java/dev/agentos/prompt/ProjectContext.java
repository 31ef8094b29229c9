package dev.agentos.prompt;

import dev.agentos.knowledge.DecisionRecord;
import dev.agentos.knowledge.Knowledge;
import dev.agentos.spec.SpecFolder;
import dev.agentos.state.CycleState;
import dev.agentos.state.FeedbackItem;
import dev.agentos.workspace.WorkspaceFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What every agent of a cycle is told about the project, gathered in one place, from whichever
 * layout the workspace has (Agent OS v1 {@code .agent-os/}, v2/v3 {@code agent-os/}, Spec Kit): the
 * spec (its documents most important first, plus the sub-specs the task names), the product
 * mission, the standards ({@link WorkspaceStandards}: the constitution, the workspace's standards
 * at any depth, then the team's bucket), the decision log (the team's bucket and {@code
 * product/decisions.md}) and, from the second iteration on, what Review asked to fix. Workspace
 * files are read through {@link WorkspaceFiles}: one that links out of the workspace becomes a note
 * in the prompt, never the file it points at.
 */
public record ProjectContext(
    String spec, String product, String standards, String decisions, String feedback) {

  /** Section priorities: what is cut first when a prompt is too large. */
  public static final int DECISIONS = 10;

  public static final int PRODUCT = 20;
  public static final int STANDARDS = 30;
  public static final int SPEC = 40;
  public static final int FEEDBACK = 50;

  /**
   * Agent OS v1 keeps the product folder under {@code .agent-os/}, v2 and v3 under {@code
   * agent-os/}.
   */
  private static final List<String> PRODUCT_ROOTS =
      List.of(".agent-os/product", "agent-os/product");

  public static ProjectContext of(
      Path workspace, CycleState state, Knowledge team, String taskText) {
    WorkspaceFiles files = WorkspaceFiles.of(workspace);
    return new ProjectContext(
        spec(files, state, taskText),
        product(files),
        WorkspaceStandards.of(workspace, team.standards(), state.spec()),
        decisions(files, team),
        feedback(state.currentIteration().feedbackIn()));
  }

  /** The prompt sections of this context, with their placeholders and priorities. */
  public List<PromptSection> sections() {
    return List.of(
        new PromptSection("spec", "the spec", spec, SPEC),
        new PromptSection("product", "the product mission", product, PRODUCT),
        new PromptSection("standards", "the standards", standards, STANDARDS),
        new PromptSection("decisions", "the decision log", decisions, DECISIONS),
        new PromptSection("feedback", "the review feedback", feedback, FEEDBACK));
  }

  static String feedback(List<FeedbackItem> items) {
    if (items == null || items.isEmpty()) {
      return "(none: this is the first iteration)";
    }
    StringBuilder out = new StringBuilder();
    for (FeedbackItem item : items) {
      out.append("- ").append(item.what());
      if (item.where() != null && !item.where().isBlank()) {
        out.append(" (where: ").append(item.where()).append(')');
      }
      if (item.why() != null && !item.why().isBlank()) {
        out.append(" — ").append(item.why());
      }
      out.append('\n');
    }
    return out.toString().strip();
  }

  private static String spec(WorkspaceFiles files, CycleState state, String taskText) {
    if (state.spec() == null) {
      return state.goal() == null ? "(no spec)" : "(no spec folder; the goal is) " + state.goal();
    }
    // A spec folder linked out of the workspace is an error, not a folder "not written yet".
    if (!Files.isDirectory(files.resolve(state.spec(), "spec"))) {
      return "(the spec folder " + state.spec() + " does not exist yet: this cycle writes it)";
    }
    SpecFolder folder = SpecFolder.read(files.root(), state.spec());
    StringBuilder out = new StringBuilder();
    // The first document is the spec's summary; the rest follow by importance, under their names.
    folder
        .documents()
        .forEach(
            (name, text) -> {
              if (out.length() > 0) {
                out.append("\n\n### ").append(name).append("\n\n");
              }
              out.append(text.strip());
            });
    if (out.length() == 0) {
      out.append("(the spec folder has no spec.md)");
    }
    Map<String, String> named = taskText == null ? Map.of() : folder.subSpecsNamedIn(taskText);
    named.forEach((name, text) -> out.append("\n\n### ").append(name).append("\n\n").append(text));
    return out.toString().strip();
  }

  private static String product(WorkspaceFiles files) {
    for (String root : PRODUCT_ROOTS) {
      for (String name : List.of("mission-lite.md", "mission.md")) {
        String text = files.readForPrompt(root + "/" + name, "");
        if (!text.isEmpty()) {
          return text;
        }
      }
    }
    return "(no .agent-os/product/mission.md or agent-os/product/mission.md)";
  }

  private static String decisions(WorkspaceFiles files, Knowledge team) {
    List<String> parts = new ArrayList<>();
    for (DecisionRecord d : team.decisions()) {
      parts.add(
          "- "
              + (d.date() == null ? "" : d.date() + " ")
              + d.title()
              + ": "
              + d.decision()
              + (d.context() == null || d.context().isBlank()
                  ? ""
                  : " (context: " + d.context() + ")"));
    }
    for (String root : PRODUCT_ROOTS) {
      String local = files.readForPrompt(root + "/decisions.md", "");
      if (!local.isEmpty()) {
        parts.add(local);
      }
    }
    return parts.isEmpty() ? "(no decisions recorded)" : String.join("\n", parts);
  }
}
