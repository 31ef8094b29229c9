package dev.agentos.instruction;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.knowledge.InstructionDocuments;
import dev.agentos.workspace.WorkspaceFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Finds instructions by name: the built-ins shipped in {@code /instructions/}, overridden by the
 * team's documents in the {@code agentos-instructions} bucket, overridden in turn by the
 * workspace's {@code .agent-os/instructions/<name>.md}.
 */
public final class InstructionCatalog {
  public static final List<String> BUILT_IN =
      List.of(
          "execute-tasks",
          "plan-product",
          "analyze-product",
          "create-spec",
          "create-tasks",
          "refine-spec",
          "git-commit");

  /**
   * The names Agent OS v2 and GitHub Spec Kit give the same work: a team used to {@code
   * /implement-tasks} or {@code /implement} gets execute-tasks. A team or workspace document of the
   * alias's own name still wins.
   */
  public static final Map<String, String> ALIASES =
      Map.of(
          "shape-spec", "create-spec",
          "write-spec", "create-spec",
          "specify", "create-spec",
          "plan", "create-tasks",
          "tasks", "create-tasks",
          "implement-tasks", "execute-tasks",
          "implement", "execute-tasks");

  public static final String WORKSPACE_DIR = ".agent-os/instructions";
  private static final java.util.regex.Pattern NAME =
      java.util.regex.Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
  private static final org.jboss.logging.Logger LOG =
      org.jboss.logging.Logger.getLogger(InstructionCatalog.class);

  private static final int PARSED_KEPT = 64;

  /**
   * Parsed documents by source, name and text: every phase of every cycle finds its instruction,
   * and parsing the YAML each time cost more than the lookup. Keyed by the text, so an edit is a
   * new entry and never a stale one.
   */
  private static final Map<List<String>, Instruction> PARSED =
      Collections.synchronizedMap(
          new LinkedHashMap<>(PARSED_KEPT, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<List<String>, Instruction> eldest) {
              return size() > PARSED_KEPT;
            }
          });

  private static final Map<String, Optional<String>> BUILT_IN_TEXT = new ConcurrentHashMap<>();

  private final InstructionDocuments team;

  /**
   * @param team the team's documents by name, read when asked (they may change at any time)
   */
  public InstructionCatalog(InstructionDocuments team) {
    this.team = team;
  }

  public static InstructionCatalog builtInOnly() {
    return new InstructionCatalog(InstructionDocuments.of(Map::of));
  }

  /** The instruction {@code name} as {@code workspace} (may be null) sees it. */
  public Optional<Instruction> find(String name, Path workspace) {
    if (name == null || !NAME.matcher(name).matches()) {
      return Optional.empty(); // never a path: a name cannot reach outside the instructions dir
    }
    if (workspace != null) {
      Optional<String> own = WorkspaceFiles.of(workspace).read(file(name), "instruction");
      if (own.isPresent()) {
        return Optional.of(parse(own.get(), "workspace", name));
      }
    }
    Optional<String> shared = team.get(name);
    if (shared.isPresent()) {
      return Optional.of(parse(shared.get(), "team", name));
    }
    if (ALIASES.containsKey(name)) {
      return find(ALIASES.get(name), workspace);
    }
    return builtIn(name).map(text -> parse(text, "built-in", name));
  }

  public Instruction require(String name, Path workspace) {
    return find(name, workspace)
        .orElseThrow(
            () ->
                AgentOsException.invalid(
                    "unknown instruction '"
                        + name
                        + "'; known instructions: "
                        + String.join(", ", list(workspace).keySet())));
  }

  /**
   * Every instruction {@code workspace} (may be null) can use, by name. A broken team or workspace
   * document is left out (and logged) rather than hiding every other instruction; asking for it by
   * name gives its error.
   */
  public Map<String, Instruction> list(Path workspace) {
    Map<String, Instruction> all = new TreeMap<>();
    for (String name : BUILT_IN) {
      builtIn(name).ifPresent(text -> all.put(name, parse(text, "built-in", name)));
    }
    team.all().forEach((name, text) -> addParsed(all, text, "team", name));
    if (workspace != null) {
      WorkspaceFiles files = WorkspaceFiles.of(workspace);
      for (String fileName : files.list(WORKSPACE_DIR, ".md")) {
        String name = fileName.replaceFirst("\\.md$", "");
        addParsed(all, () -> files.read(file(name), "instruction").orElse(""), "workspace", name);
      }
    }
    return all;
  }

  private static String file(String name) {
    return WORKSPACE_DIR + "/" + name + ".md";
  }

  private static void addParsed(
      Map<String, Instruction> all, String text, String source, String name) {
    addParsed(all, () -> text, source, name);
  }

  private static void addParsed(
      Map<String, Instruction> all, Supplier<String> text, String source, String name) {
    try {
      all.put(name, parse(text.get(), source, name));
    } catch (AgentOsException e) {
      LOG.warnf("skipping the %s instruction '%s': %s", source, name, e.getMessage());
    }
  }

  /** The built-in document of {@code name}, for {@code agentos.api.instructions.get}. */
  public static Optional<String> builtIn(String name) {
    if (!BUILT_IN.contains(name)) {
      return Optional.empty();
    }
    return BUILT_IN_TEXT.computeIfAbsent(name, InstructionCatalog::readBuiltIn);
  }

  private static Optional<String> readBuiltIn(String name) {
    try (InputStream in =
        InstructionCatalog.class.getResourceAsStream("/instructions/" + name + ".md")) {
      return in == null
          ? Optional.empty()
          : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new AgentOsException(ErrorCode.INTERNAL, "cannot read built-in instruction " + name, e);
    }
  }

  private static Instruction parse(String text, String source, String name) {
    List<String> key = List.of(source, name, text);
    Instruction known = PARSED.get(key);
    if (known != null) {
      return known;
    }
    Instruction parsed = parseUncached(text, source, name);
    PARSED.put(key, parsed);
    return parsed;
  }

  private static Instruction parseUncached(String text, String source, String name) {
    Instruction parsed;
    try {
      parsed = InstructionParser.parse(text, source);
    } catch (AgentOsException e) {
      throw AgentOsException.invalid(
          "the " + source + " instruction '" + name + "' is invalid: " + e.getMessage());
    }
    if (!parsed.name().equals(name)) {
      throw AgentOsException.invalid(
          "the "
              + source
              + " instruction stored as '"
              + name
              + "' names itself '"
              + parsed.name()
              + "'");
    }
    return parsed;
  }
}
