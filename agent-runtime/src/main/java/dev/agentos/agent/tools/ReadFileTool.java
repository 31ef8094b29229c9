package dev.agentos.agent.tools;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import java.util.List;

/** {@code read_file}: a workspace file's text, whole or a range of its lines. */
final class ReadFileTool implements Tool {
  static final int MAX_LINES = 2000;

  private final Workspace workspace;

  ReadFileTool(Workspace workspace) {
    this.workspace = workspace;
  }

  @Override
  public ToolSpecification specification() {
    return ToolSpecification.builder()
        .name("read_file")
        .description(
            "Read a text file of the workspace, or the lines start_line to end_line (1-based,"
                + " inclusive). At most "
                + MAX_LINES
                + " lines per call; the answer says how many lines the file has.")
        .parameters(
            JsonObjectSchema.builder()
                .addStringProperty("path", "file path relative to the workspace")
                .addIntegerProperty("start_line", "first line to read; default 1")
                .addIntegerProperty("end_line", "last line to read; default the end")
                .required("path")
                .build())
        .build();
  }

  @Override
  public String call(JsonNode arguments) {
    String path = Args.text(arguments, "path");
    workspace.resolve(path);
    String text =
        workspace
            .files()
            .read(path, "path")
            .orElseThrow(() -> new ToolError("there is no file '" + path + "' in the workspace"));
    List<String> lines = text.lines().toList();
    int start = Args.number(arguments, "start_line", 1, 1, Integer.MAX_VALUE);
    int end = Args.number(arguments, "end_line", lines.size(), 1, Integer.MAX_VALUE);
    if (lines.isEmpty()) {
      return path + " is empty";
    }
    if (start > lines.size()) {
      throw new ToolError(path + " has only " + lines.size() + " lines; start_line " + start);
    }
    end = Math.min(Math.max(end, start), lines.size());
    int last = Math.min(end, start + MAX_LINES - 1);
    String header =
        start == 1 && last == lines.size()
            ? path + " (" + lines.size() + " lines):\n"
            : path + " lines " + start + "-" + last + " of " + lines.size() + ":\n";
    String body = String.join("\n", lines.subList(start - 1, last));
    return header + body + (last < end ? "\n[… read on from start_line " + (last + 1) + "]" : "");
  }
}
