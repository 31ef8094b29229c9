package dev.agentos.agent.tools;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.difflib.patch.AbstractDelta;
import com.github.difflib.patch.PatchFailedException;
import com.github.difflib.patch.VerifyChunk;
import com.github.difflib.unifieddiff.UnifiedDiff;
import com.github.difflib.unifieddiff.UnifiedDiffFile;
import com.github.difflib.unifieddiff.UnifiedDiffReader;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code apply_patch}: applies a unified diff (as {@code git diff} or {@code diff -u} write it) to
 * the workspace. Every hunk must match the file as it is: a hunk that does not is a tool error
 * naming the file and the hunk, and then no file is changed at all.
 */
final class ApplyPatchTool implements Tool {
  static final String DEV_NULL = "/dev/null";

  private final Workspace workspace;

  ApplyPatchTool(Workspace workspace) {
    this.workspace = workspace;
  }

  @Override
  public ToolSpecification specification() {
    return ToolSpecification.builder()
        .name("apply_patch")
        .description(
            "Apply a unified diff to files of the workspace: '--- a/path' and '+++ b/path'"
                + " headers, then '@@ -l,n +l,n @@' hunks with context lines. '--- /dev/null'"
                + " creates a file, '+++ /dev/null' deletes one. Either every hunk applies or"
                + " nothing changes.")
        .parameters(
            JsonObjectSchema.builder()
                .addStringProperty("patch", "the unified diff")
                .required("patch")
                .build())
        .build();
  }

  @Override
  public String call(JsonNode arguments) {
    String patch = Args.text(arguments, "patch");
    List<UnifiedDiffFile> files = parse(patch);
    // Everything is computed before anything is written: a failed hunk leaves no half-patch.
    Map<String, String> results = new LinkedHashMap<>();
    List<String> done = new ArrayList<>();
    for (UnifiedDiffFile file : files) {
      String from = path(file.getFromFile());
      String to = path(file.getToFile());
      String target = to != null ? to : from;
      if (target == null) {
        throw new ToolError("a file of the patch names no path in its ---/+++ headers");
      }
      workspace.resolve(target);
      String original = from == null ? "" : current(from, results);
      List<String> patched;
      try {
        patched = file.getPatch().applyTo(lines(original));
      } catch (PatchFailedException e) {
        throw new ToolError(
            "the patch does not apply to "
                + target
                + ": "
                + failedHunk(file, original)
                + "; nothing was changed. Read the file again and send a patch whose context"
                + " lines match it.");
      }
      if (to == null) {
        results.put(from, null);
        done.add("deleted " + from);
      } else {
        String text = patched.isEmpty() ? "" : String.join("\n", patched) + "\n";
        results.put(to, text);
        done.add((from == null ? "created " : "patched ") + to);
      }
    }
    for (Map.Entry<String, String> result : results.entrySet()) {
      if (result.getValue() == null) {
        workspace.files().delete(result.getKey(), "path");
      } else {
        workspace.files().write(result.getKey(), "path", result.getValue());
      }
    }
    return String.join("\n", done);
  }

  private static List<UnifiedDiffFile> parse(String patch) {
    UnifiedDiff diff;
    try {
      diff =
          UnifiedDiffReader.parseUnifiedDiff(
              new ByteArrayInputStream(patch.getBytes(StandardCharsets.UTF_8)));
    } catch (IOException | RuntimeException e) {
      throw new ToolError("the patch is not a unified diff: " + e.getMessage());
    }
    List<UnifiedDiffFile> files =
        diff.getFiles().stream()
            .filter(f -> f.getPatch() != null && !f.getPatch().getDeltas().isEmpty())
            .toList();
    if (files.isEmpty()) {
      throw new ToolError(
          "the patch holds no hunk: give '--- a/path', '+++ b/path' and '@@ -l,n +l,n @@' hunks");
    }
    return files;
  }

  /** The file's text as an earlier file of the same patch left it, or as it is. */
  private String current(String path, Map<String, String> results) {
    if (results.containsKey(path)) {
      String text = results.get(path);
      if (text == null) {
        throw new ToolError("the patch changes " + path + " after deleting it");
      }
      return text;
    }
    workspace.resolve(path);
    if (!Files.isRegularFile(workspace.resolve(path))) {
      throw new ToolError(
          "the patch changes " + path + ", which does not exist; create it with '--- /dev/null'");
    }
    return workspace.files().read(path, "path").orElse("");
  }

  private static String failedHunk(UnifiedDiffFile file, String original) {
    List<String> lines = lines(original);
    for (AbstractDelta<String> delta : file.getPatch().getDeltas()) {
      VerifyChunk verified;
      try {
        verified = delta.getSource().verifyChunk(lines);
      } catch (PatchFailedException e) {
        verified = VerifyChunk.CONTENT_DOES_NOT_MATCH_TARGET;
      }
      if (verified != VerifyChunk.OK) {
        return "the hunk at line "
            + (delta.getSource().getPosition() + 1)
            + " (expecting "
            + delta.getSource().getLines().size()
            + " lines starting '"
            + first(delta.getSource().getLines())
            + "') does not match the file's "
            + lines.size()
            + " lines";
      }
    }
    return "its hunks do not match the file";
  }

  private static String first(List<String> lines) {
    String line = lines.isEmpty() ? "" : lines.get(0);
    return line.length() <= 80 ? line : line.substring(0, 80) + "…";
  }

  private static List<String> lines(String text) {
    return new ArrayList<>(text.lines().toList());
  }

  /** The workspace path of a diff header: without git's a/ b/ prefixes; null for /dev/null. */
  static String path(String header) {
    if (header == null) {
      return null;
    }
    String path = header.strip();
    int tab = path.indexOf('\t');
    if (tab >= 0) {
      path = path.substring(0, tab); // diff -u puts a timestamp after a tab
    }
    if (path.isEmpty() || path.equals(DEV_NULL)) {
      return null;
    }
    if (path.startsWith("a/") || path.startsWith("b/")) {
      path = path.substring(2);
    }
    return path;
  }
}
