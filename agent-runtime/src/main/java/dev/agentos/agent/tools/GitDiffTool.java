package dev.agentos.agent.tools;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.prompt.CycleProgress;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import java.nio.file.Files;

/**
 * {@code git_diff}: what the iteration changed — {@code git diff} against the workspace's commit
 * when its first step started, then the new files — a page at a time.
 */
final class GitDiffTool implements Tool {
  private final Workspace workspace;
  private final String base;
  private final int pageChars;

  GitDiffTool(Workspace workspace, String base, int pageChars) {
    this.workspace = workspace;
    this.base = base;
    this.pageChars = pageChars;
  }

  @Override
  public ToolSpecification specification() {
    return ToolSpecification.builder()
        .name("git_diff")
        .description(
            "The changes of this iteration: git diff against the commit its first step started"
                + " from, then the text of the new files. Long diffs come in pages of "
                + pageChars
                + " characters: pass offset to read on.")
        .parameters(
            JsonObjectSchema.builder()
                .addIntegerProperty("offset", "the character to start at; default 0")
                .build())
        .build();
  }

  @Override
  public String call(JsonNode arguments) {
    int offset = Args.number(arguments, "offset", 0, 0, Integer.MAX_VALUE);
    if (base == null || !Files.exists(workspace.root().resolve(".git"))) {
      throw new ToolError(
          "there is no git history to diff: the workspace is not a git repository, or no step"
              + " recorded its start; use list_files and read_file");
    }
    String diff = CycleProgress.diffSince(workspace.root(), base);
    if (offset >= diff.length()) {
      return offset == 0 ? diff : "(the diff has only " + diff.length() + " characters)";
    }
    int end = Math.min(diff.length(), offset + pageChars);
    String page = diff.substring(offset, end);
    return end < diff.length()
        ? page + "\n[… " + (diff.length() - end) + " more characters: git_diff offset=" + end + "]"
        : page;
  }
}
