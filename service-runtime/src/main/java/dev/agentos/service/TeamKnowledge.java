package dev.agentos.service;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.knowledge.DecisionLog;
import dev.agentos.knowledge.Knowledge;
import dev.agentos.knowledge.KnowledgeStore;
import io.nats.client.Connection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import org.jboss.logging.Logger;

/**
 * The team's standards and decisions for prompts, from in-memory copies of the buckets that a watch
 * keeps current (an edit shows up in the next agent call). If NATS cannot answer, the prompt goes
 * out with the workspace's own files only, rather than failing the phase.
 */
@ApplicationScoped
public class TeamKnowledge {
  private static final Logger LOG = Logger.getLogger(TeamKnowledge.class);

  @Inject Connection nc;

  private volatile KnowledgeStore mirrored;

  public Knowledge forProject(String project) {
    try {
      return mirrored().forProject(project);
    } catch (IOException | RuntimeException e) {
      LOG.warnf("project=%s team standards and decisions unavailable: %s", project, e.getMessage());
      return Knowledge.NONE;
    }
  }

  /** The store for writes (the decision log), reading from the server. */
  public KnowledgeStore store() throws IOException {
    return KnowledgeStore.open(nc);
  }

  /** The decision log, written on the server (Review's insights, the decisions agents record). */
  public DecisionLog decisionLog() {
    return (project, record) -> {
      try {
        store().recordDecision(project, record);
      } catch (IOException e) {
        throw new AgentOsException(ErrorCode.UNAVAILABLE, "cannot open the decision log", e);
      }
    };
  }

  private synchronized KnowledgeStore mirrored() throws IOException {
    if (mirrored == null) {
      mirrored = KnowledgeStore.mirrored(nc);
    }
    return mirrored;
  }
}
