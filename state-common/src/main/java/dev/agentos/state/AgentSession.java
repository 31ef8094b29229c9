package dev.agentos.state;

/**
 * A CLI agent's own session for a step (schema v1.2): the tool's session id, fixed before the agent
 * starts or checkpointed as soon as the tool reports it, and the last copy of the tool's session
 * file in the artifact store. A replica that takes the step over restores the file and resumes the
 * same session.
 *
 * @param tool the backend that owns the session ({@code claude-code}, {@code codex}, ...)
 * @param id the tool's session (thread) id
 * @param file where the tool keeps the file, relative to its HOME; null until it was copied
 * @param saved the last copy of the session file; null until one was made
 */
public record AgentSession(String tool, String id, String file, ArtifactRef saved) {
  public AgentSession withSaved(String relativeFile, ArtifactRef copy) {
    return new AgentSession(tool, id, relativeFile, copy);
  }
}
