package dev.agentos.spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The spec-driven layouts teams use, and how to tell them apart. A workspace may hold several (a
 * team moving from Agent OS v1 to Spec Kit keeps both); {@link #ofSpec} says which one a spec
 * folder belongs to and why, {@link #inWorkspace} which ones the workspace has.
 */
public enum SpecLayout {
  /**
   * {@code .agent-os/}: product/, standards/, specs/<date-name>/{spec.md, spec-lite.md, tasks.md}.
   */
  AGENT_OS_V1("Agent OS v1", ".agent-os"),
  /** {@code agent-os/}: standards in area folders, specs with planning/ and task groups. */
  AGENT_OS_V2("Agent OS v2", "agent-os"),
  /** {@code agent-os/} with standards/index.yml; specs hold plan.md with "## Task N" sections. */
  AGENT_OS_V3("Agent OS v3", "agent-os"),
  /** GitHub Spec Kit: .specify/memory/constitution.md and specs/NNN-feature/. */
  SPEC_KIT("GitHub Spec Kit", ".specify");

  /** A spec folder's layout and the evidence for it, as the plan's notes say it. */
  public record Detected(SpecLayout layout, String reason) {}

  /** Agent OS v3's standards index, which tells a v3 workspace from a v2 one. */
  static final String V3_INDEX = "agent-os/standards/index.yml";

  /** What makes a {@code .agent-os/} a v1 layout rather than only Agent OS's own files. */
  private static final List<String> V1_CONTENT = List.of("specs", "product", "standards");

  private static final Pattern SPEC_KIT_FOLDER = Pattern.compile("\\d{3,}-.+");

  private final String label;
  private final String root;

  SpecLayout(String label, String root) {
    this.label = label;
    this.root = root;
  }

  public String label() {
    return label;
  }

  /** The folder (relative to the workspace) that holds this layout's product and standards. */
  public String root() {
    return root;
  }

  /**
   * The layouts present in the workspace, in the order above. A {@code .agent-os/} that holds only
   * what Agent OS writes itself (recaps, checks.yml, instructions) counts as v1 only when the
   * workspace has no other layout.
   */
  public static List<SpecLayout> inWorkspace(Path workspace) {
    List<SpecLayout> found = new ArrayList<>();
    boolean other =
        Files.isDirectory(workspace.resolve("agent-os"))
            || Files.isDirectory(workspace.resolve(".specify"));
    if (hasV1Content(workspace) || !other && Files.isDirectory(workspace.resolve(".agent-os"))) {
      found.add(AGENT_OS_V1);
    }
    if (Files.isDirectory(workspace.resolve("agent-os"))) {
      found.add(v3Workspace(workspace) ? AGENT_OS_V3 : AGENT_OS_V2);
    }
    if (Files.isDirectory(workspace.resolve(".specify"))) {
      found.add(SPEC_KIT);
    }
    return found;
  }

  private static boolean v3Workspace(Path workspace) {
    return Files.isRegularFile(workspace.resolve(V3_INDEX));
  }

  /** True when {@code .agent-os/} holds v1 specs, product docs or standards. */
  static boolean hasV1Content(Path workspace) {
    return V1_CONTENT.stream()
        .anyMatch(dir -> Files.isDirectory(workspace.resolve(".agent-os").resolve(dir)));
  }

  /** The layout of the spec folder {@code specPath} (relative to the workspace), with why. */
  public static Detected ofSpec(Path workspace, String specPath) {
    Path relative = Path.of(specPath).normalize();
    Path folder = workspace.resolve(relative);
    String first = relative.getNameCount() > 0 ? relative.getName(0).toString() : "";
    boolean hasTasks = Files.isRegularFile(folder.resolve("tasks.md"));
    boolean hasPlan = Files.isRegularFile(folder.resolve("plan.md"));
    if (first.equals(".agent-os")) {
      return new Detected(AGENT_OS_V1, "it is under .agent-os/");
    }
    if (first.equals("agent-os")) {
      if (!hasTasks && hasPlan) {
        return new Detected(AGENT_OS_V3, "it is under agent-os/ and holds plan.md, no tasks.md");
      }
      if (!hasTasks && v3Workspace(workspace)) {
        return new Detected(AGENT_OS_V3, "agent-os/standards/index.yml exists");
      }
      return new Detected(
          AGENT_OS_V2,
          "it is under agent-os/"
              + (Files.isDirectory(folder.resolve("planning")) ? " and has planning/" : ""));
    }
    if (first.equals("specs") || Files.isDirectory(workspace.resolve(".specify"))) {
      String name = relative.getFileName() == null ? "" : relative.getFileName().toString();
      String why =
          SPEC_KIT_FOLDER.matcher(name).matches()
              ? "its folder is named NNN-feature"
              : "it is under specs/";
      if (Files.isDirectory(workspace.resolve(".specify"))) {
        why += " and the workspace has .specify/";
      }
      return new Detected(SPEC_KIT, why);
    }
    if (!hasTasks && hasPlan) {
      return new Detected(AGENT_OS_V3, "it holds plan.md and no tasks.md");
    }
    return new Detected(
        AGENT_OS_V1, "no layout folder encloses it, so it is read as an Agent OS v1 spec");
  }
}
