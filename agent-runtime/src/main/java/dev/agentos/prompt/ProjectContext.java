package dev.agentos.prompt;

import dev.agentos.error.AgentOsException;
import dev.agentos.knowledge.DecisionRecord;
import dev.agentos.knowledge.Knowledge;
import dev.agentos.knowledge.Standard;
import dev.agentos.spec.SpecFolder;
import dev.agentos.state.CycleState;
import dev.agentos.state.FeedbackItem;
import dev.agentos.workspace.WorkspaceFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What every agent of a cycle is told about the project, gathered in one place: the spec (its
 * spec-lite.md, else spec.md, plus the sub-specs the task names), the product mission, the
 * standards (the workspace's {@code .agent-os/standards/} overriding the team's bucket), the
 * decision log (the team's bucket and {@code .agent-os/product/decisions.md}) and, from the second
 * iteration on, what Review asked to fix. Workspace files are read through {@link WorkspaceFiles}:
 * one that links out of the workspace becomes a note in the prompt, never the file it points at.
 */
public record ProjectContext(
    String spec, String product, String standards, String decisions, String feedback) {

  /** Section priorities: what is cut first when a prompt is too large. */
  public static final int DECISIONS = 10;

  public static final int PRODUCT = 20;
  public static final int STANDARDS = 30;
  public static final int SPEC = 40;
  public static final int FEEDBACK = 50;

  private static final String STANDARDS_DIR = ".agent-os/standards";

  public static ProjectContext of(
      Path workspace, CycleState state, Knowledge team, String taskText) {
    WorkspaceFiles files = WorkspaceFiles.of(workspace);
    return new ProjectContext(
        spec(files, state, taskText),
        product(files),
        standards(files, team),
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
    StringBuilder out =
        new StringBuilder(folder.summary().orElse("(the spec folder has no spec.md)"));
    Map<String, String> named = taskText == null ? Map.of() : folder.subSpecsNamedIn(taskText);
    named.forEach((name, text) -> out.append("\n\n### ").append(name).append("\n\n").append(text));
    return out.toString().strip();
  }

  private static String product(WorkspaceFiles files) {
    for (String name : List.of("mission-lite.md", "mission.md")) {
      String text = files.readForPrompt(".agent-os/product/" + name, "");
      if (!text.isEmpty()) {
        return text;
      }
    }
    return "(no .agent-os/product/mission.md)";
  }

  private static String standards(WorkspaceFiles files, Knowledge team) {
    Map<String, String> byName = new LinkedHashMap<>();
    for (Standard standard : team.standards()) {
      byName.put(stripMd(standard.name()), standard.content());
    }
    try {
      for (String name : files.list(STANDARDS_DIR, ".md")) {
        byName.put(stripMd(name), files.readForPrompt(STANDARDS_DIR + "/" + name, ""));
      }
    } catch (AgentOsException e) {
      byName.put("(unreadable)", STANDARDS_DIR + " was not read: " + e.getMessage());
    }
    if (byName.isEmpty()) {
      return "(no standards)";
    }
    StringBuilder out = new StringBuilder();
    byName.forEach(
        (name, text) ->
            out.append("### ").append(name).append("\n\n").append(text.strip()).append("\n\n"));
    return out.toString().strip();
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
    String local = files.readForPrompt(".agent-os/product/decisions.md", "");
    if (!local.isEmpty()) {
      parts.add(local);
    }
    return parts.isEmpty() ? "(no decisions recorded)" : String.join("\n", parts);
  }

  private static String stripMd(String name) {
    return name.endsWith(".md") ? name.substring(0, name.length() - 3) : name;
  }
}
