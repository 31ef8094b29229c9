package dev.agentos.checks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.agentos.error.AgentOsException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The checks a repository commits for itself in {@code .agent-os/checks.yml}:
 *
 * <pre>
 * checks:
 *   tests: mvn -q test
 *   lint: npm run lint
 * </pre>
 *
 * Like the code, the file is the project's own; a submit can name these checks but never add one.
 */
public final class WorkspaceChecks {
  public static final String FILE = ".agent-os/checks.yml";
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final long MAX_BYTES = 64 * 1024;

  private WorkspaceChecks() {}

  /**
   * The workspace's checks by name; none when it has no such file.
   *
   * @throws AgentOsException INVALID_REQUEST when the file is there but not a list of checks, or
   *     lies outside the workspace (a symbolic link out of it)
   */
  public static Map<String, NamedCheck> read(Path workspace) {
    Map<String, NamedCheck> checks = new TreeMap<>();
    if (workspace == null) {
      return checks;
    }
    Path file = workspace.resolve(FILE);
    if (!Files.exists(file)) {
      return checks;
    }
    JsonNode root;
    try {
      Path real = file.toRealPath();
      if (!real.startsWith(workspace.toRealPath()) || !Files.isRegularFile(real)) {
        throw AgentOsException.invalid(
            FILE
                + " is not a file inside the workspace "
                + workspace
                + "; its checks were not read");
      }
      if (Files.size(real) > MAX_BYTES) {
        throw AgentOsException.invalid(FILE + " is larger than " + MAX_BYTES + " bytes");
      }
      root = YAML.readTree(Files.readString(real));
    } catch (IOException e) {
      throw AgentOsException.invalid(
          FILE + " in " + workspace + " cannot be read as YAML: " + e.getMessage());
    }
    JsonNode list = root == null ? null : root.get("checks");
    if (list == null || !list.isObject()) {
      throw AgentOsException.invalid(
          FILE + " needs a 'checks:' map of name: shell line, e.g. 'checks: {tests: mvn -q test}'");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = list.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      String name = entry.getKey();
      if (!NAME.matcher(name).matches()
          || !entry.getValue().isTextual()
          || entry.getValue().asText().isBlank()) {
        throw AgentOsException.invalid(
            FILE
                + ": check '"
                + name
                + "' needs a name of A-Z, a-z, 0-9, '_', '.', '-' and a shell line as its value");
      }
      checks.put(name, new NamedCheck(name, entry.getValue().asText(), null, FILE));
    }
    return checks;
  }
}
