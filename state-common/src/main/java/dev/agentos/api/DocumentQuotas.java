package dev.agentos.api;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.project.Project;
import dev.agentos.project.ProjectQuotas;
import dev.agentos.project.Projects;
import java.nio.charset.StandardCharsets;
import java.util.Collection;

/**
 * The caps on the documents every prompt reads: how many standards and instructions a scope holds,
 * and how large one may be. Checked before a write, so a refused write changes nothing. The
 * registry is read at each write: a cap an operator changes with {@code agentos project set} holds
 * from the next write on.
 *
 * <p>A standard in a registered project's scope is held to that project's quotas; one in the
 * team-wide scope (or an unregistered project's) to the defaults. Instructions are one catalog for
 * the whole deployment (they have no project scope), so the defaults cap them.
 */
public final class DocumentQuotas {
  private final Projects projects;

  public DocumentQuotas(Projects projects) {
    this.projects = projects;
  }

  /** No registry: the defaults cap every scope. */
  public static DocumentQuotas defaults() {
    return new DocumentQuotas(Projects.NONE);
  }

  /**
   * QUOTA_EXCEEDED when writing standard {@code name} in {@code scope} would hold more standards
   * than the scope's cap, or {@code content} is larger than one may be.
   *
   * @param stored the names of the standards the scope holds now
   */
  public void requireStandardRoom(
      String scope, String name, String content, Collection<String> stored) {
    Project project = projects.get(scope).orElse(null);
    ProjectQuotas quotas = project == null ? ProjectQuotas.defaults() : project.quotas();
    Caps caps =
        new Caps(
            "standard",
            project == null ? "scope '" + scope + "'" : "project " + project.name(),
            quotas.standardsOrDefault(),
            quotas.standardBytesOrDefault(),
            project == null
                ? ""
                : " (an operator raises it with `agentos project set "
                    + project.name()
                    + " --max-standards N` or `--max-standard-bytes N`)");
    caps.require(name, content, stored);
  }

  /**
   * QUOTA_EXCEEDED when storing instruction {@code name} would hold more team instructions than the
   * cap, or {@code document} is larger than one may be.
   *
   * @param stored the names of the team instructions stored now
   */
  public void requireInstructionRoom(String name, String document, Collection<String> stored) {
    ProjectQuotas quotas = ProjectQuotas.defaults();
    new Caps(
            "instruction",
            "the team catalog",
            quotas.instructionsOrDefault(),
            quotas.instructionBytesOrDefault(),
            "")
        .require(name, document, stored);
  }

  /** One scope's caps, and how an operator raises them (empty when none can). */
  private record Caps(String kind, String where, int maxCount, int maxBytes, String raise) {
    void require(String name, String content, Collection<String> stored) {
      int bytes = content == null ? 0 : content.getBytes(StandardCharsets.UTF_8).length;
      if (bytes > maxBytes) {
        throw new AgentOsException(
            ErrorCode.QUOTA_EXCEEDED,
            kind
                + " '"
                + name
                + "' has "
                + bytes
                + " bytes; a "
                + kind
                + " of "
                + where
                + " may have at most "
                + maxBytes
                + ": shorten it"
                + raise);
      }
      if (!stored.contains(name) && stored.size() >= maxCount) {
        throw new AgentOsException(
            ErrorCode.QUOTA_EXCEEDED,
            where
                + " holds "
                + stored.size()
                + " "
                + kind
                + "s, its cap is "
                + maxCount
                + ": remove one or replace one of the same name"
                + raise);
      }
    }
  }
}
