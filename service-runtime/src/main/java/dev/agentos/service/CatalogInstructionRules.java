package dev.agentos.service;

import dev.agentos.api.InstructionRules;
import dev.agentos.error.AgentOsException;
import dev.agentos.instruction.Instruction;
import dev.agentos.instruction.InstructionCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The submit rules of the instructions a workspace can use, read from the catalog. */
public final class CatalogInstructionRules implements InstructionRules {
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

  private static final Pattern FEATURE = Pattern.compile("(\\d{3,})-.*");

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

  /**
   * Where a new spec goes, in the workspace's own layout: {@code specs/004-slug} in a Spec Kit
   * workspace, {@code agent-os/specs/<date>-slug} in an Agent OS v2 or v3 one, else the v1 {@code
   * .agent-os/specs/<date>-slug}. A workspace with {@code .agent-os/} stays v1.
   */
  static String newSpecFolder(Path workspace, String goal, Instant now) {
    String v1 = datedSpec(goal, now);
    if (workspace == null || Files.isDirectory(workspace.resolve(".agent-os"))) {
      return v1;
    }
    String slug = v1.substring(v1.lastIndexOf('/') + 1 + DAY.format(now).length() + 1);
    if (Files.isDirectory(workspace.resolve(".specify"))) {
      return "specs/"
          + String.format(Locale.ROOT, "%03d", nextFeatureNumber(workspace))
          + "-"
          + slug;
    }
    if (Files.isDirectory(workspace.resolve("agent-os"))) {
      return v1.substring(1); // "agent-os/specs/...": v2 and v3 drop the dot
    }
    return v1;
  }

  /** One more than the highest {@code specs/NNN-*} number, as Spec Kit numbers features. */
  private static int nextFeatureNumber(Path workspace) {
    Path specs = workspace.resolve("specs");
    if (!Files.isDirectory(specs)) {
      return 1;
    }
    try (Stream<Path> folders = Files.list(specs)) {
      return 1
          + folders
              .map(p -> FEATURE.matcher(p.getFileName().toString()))
              .filter(Matcher::matches)
              .mapToInt(m -> Integer.parseInt(m.group(1)))
              .max()
              .orElse(0);
    } catch (IOException e) {
      throw AgentOsException.invalid("cannot list " + specs + ": " + e.getMessage());
    }
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
