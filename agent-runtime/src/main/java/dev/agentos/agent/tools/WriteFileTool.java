package dev.agentos.agent.tools;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

/** {@code write_file}: creates or replaces a workspace file with the text given. */
final class WriteFileTool implements Tool {
  /** Larger files are written in a shell-less way too, but a model rarely means to. */
  static final int MAX_BYTES = 2 << 20;

  private final Workspace workspace;

  WriteFileTool(Workspace workspace) {
    this.workspace = workspace;
  }

  @Override
  public ToolSpecification specification() {
    return ToolSpecification.builder()
        .name("write_file")
        .description(
            "Create a file of the workspace, or replace its whole text; folders are created as"
                + " needed. To change part of a file, prefer apply_patch.")
        .parameters(
            JsonObjectSchema.builder()
                .addStringProperty("path", "file path relative to the workspace")
                .addStringProperty("content", "the file's whole new text")
                .required("path", "content")
                .build())
        .build();
  }

  @Override
  public String call(JsonNode arguments) {
    String path = Args.text(arguments, "path");
    String content = Args.text(arguments, "content");
    if (content.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      throw new ToolError(
          "the content is larger than " + MAX_BYTES + " bytes; write smaller files");
    }
    boolean existed = Files.exists(workspace.resolve(path));
    if (existed && Files.isDirectory(workspace.resolve(path))) {
      throw new ToolError("'" + path + "' is a folder");
    }
    workspace.files().write(path, "path", content);
    return (existed ? "replaced " : "created ") + path + " (" + content.lines().count() + " lines)";
  }
}
