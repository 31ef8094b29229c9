package dev.agentos.agent.channel;

import dev.agentos.process.ScratchFiles;
import java.nio.file.Path;
import java.util.Map;

/**
 * The directory through which one agent run talks back to Agent OS: made fresh for each run under
 * the service's scratch directory (outside the workspace, so nothing in it is committed or read as
 * work), named to the agent in {@value #ENV}, read once the agent exited, then removed. What the
 * agent (or an MCP tool it runs) may write there is read by {@link ChannelReader}.
 */
public final class AgentChannel implements AutoCloseable {
  /** The environment variable that names the channel directory to the agent. */
  public static final String ENV = "AGENTOS_CHANNEL";

  /**
   * What a step's prompt tells an agent process about its channel: without it, an agent that has no
   * {@code ask_person} tool (no MCP, or a plain command) could not know how to ask.
   */
  public static final String PROMPT =
      "## If you need a person\n"
          + "If you cannot go on without a decision only a person can make, do not guess: write"
          + " {\"question\": \"...\", \"context\": \"...\"} to the file question.json in the"
          + " directory named by the environment variable "
          + ENV
          + " (or use the ask_person tool if you have it) and end your turn without doing the"
          + " step; it goes on once a person has answered. A decision later steps should keep to"
          + " can be added to decisions.jsonl in the same directory, one {\"title\": \"...\","
          + " \"decision\": \"...\", \"rationale\": \"...\"} object per line.\n";

  private final Path dir;

  private AgentChannel(Path dir) {
    this.dir = dir;
  }

  /** A new, empty channel under {@code scratchRoot}, readable by this user only. */
  public static AgentChannel create(Path scratchRoot) {
    return new AgentChannel(
        ScratchFiles.privateDirectory(scratchRoot, "channel-", "the agent's channel directory"));
  }

  public Path dir() {
    return dir;
  }

  /** The agent's environment entry that names the channel. */
  public Map<String, String> environment() {
    return Map.of(ENV, dir.toString());
  }

  /** Whether the agent has written a question (read or not): it waits for a person. */
  public boolean hasQuestion() {
    return ChannelReader.hasQuestion(dir);
  }

  /** What the agent left in the channel. */
  public ChannelReport read() {
    return ChannelReader.read(dir);
  }

  @Override
  public void close() {
    ScratchFiles.deleteQuietly(dir);
  }
}
