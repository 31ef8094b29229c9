package dev.agentos.agent.cli;

import dev.agentos.agent.AgentRequest;
import dev.agentos.agent.AgentResult;
import dev.agentos.agent.StepCall;
import dev.agentos.agent.StepLastOutput;
import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.state.AgentSession;
import dev.agentos.state.ArtifactRef;
import dev.agentos.state.StepRecord;
import dev.agentos.worker.PhaseContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * A CLI agent's own session across the attempts of one step. Before the agent starts, the step's
 * record says which session it uses (Claude Code's id is fixed then); with each heartbeat the
 * tool's session file is copied to the artifact store and the record points at the copy (a Codex
 * thread id is recorded as soon as its file appears). When a replica takes over an interrupted
 * step, it restores that copy into the agent's new HOME and resumes the same session; a tool that
 * cannot resume, or whose session was not saved yet, starts fresh with the step's checkpoint notes,
 * and the step's notes say which happened. An agent that asks a person (its channel holds a
 * question when it exits) has its session file copied once more then, and the run that continues
 * after the answer resumes the same session the same way.
 */
public final class StepSession {
  private static final Logger LOG = Logger.getLogger(StepSession.class);

  private final PhaseContext context;
  private final CliAgentBackend agent;
  private final String stepId;
  private final String tool;
  private final StepCall call;

  private StepSession(PhaseContext context, CliAgentBackend agent, StepCall call) {
    this.context = context;
    this.agent = agent;
    this.stepId = call.stepId();
    this.call = call;
    this.tool = agent.settings().backend().configName();
  }

  /** Runs the step's agent once, starting, resuming or restarting its session as said above. */
  public static AgentResult call(
      PhaseContext context, CliAgentBackend agent, AgentRequest request, StepCall call) {
    return new StepSession(context, agent, call).call(request);
  }

  private AgentResult call(AgentRequest request) {
    StepRecord current = record();
    AgentSession prior = current.agentSession();
    CliPreset preset = agent.preset();
    boolean interrupted = prior != null && tool.equals(prior.tool());
    boolean resume =
        interrupted && preset.resumable() && prior.id() != null && prior.saved() != null;
    CliSession session =
        resume
            ? CliSession.resuming(prior.id())
            : CliSession.fresh(preset.fixedSessionId().orElse(null));
    StepRecord starting =
        current.withAgentSession(resume ? prior : new AgentSession(tool, session.id(), null, null));
    if (interrupted) {
      starting = starting.withNote(resumeNote(prior, resume));
    }
    context.checkpointSteps(starting);
    int attempt = starting.attempts();
    Path workspace = request.workspace();
    LiveOutput output = new LiveOutput(context, stepId);
    // The tail of its output is kept with the heartbeats for the attempt after an interrupted one.
    AtomicReference<StepLastOutput> lastOutput = new AtomicReference<>();
    CliAgentBackend.CliRun run =
        agent.run(
            request,
            session,
            new CliRunHooks() {
              @Override
              public void prepare(Path home) {
                if (resume) {
                  restore(home, workspace, prior);
                }
              }

              @Override
              public AutoCloseable running(Path home) {
                SessionCopier copier = new SessionCopier(home, workspace, session.id(), attempt);
                AutoCloseable beats = context.onHeartbeat(copier::copyIfChanged);
                StepLastOutput last = StepLastOutput.start(context, stepId);
                lastOutput.set(last);
                return () -> {
                  beats.close();
                  if (call.channel() != null && call.channel().hasQuestion()) {
                    // The step waits for a person, maybe for days, and its HOME goes now: the
                    // run that continues after the answer resumes from this copy.
                    copier.copyIfChanged();
                  }
                  copier.close(); // waits for a copy under way: none runs once the step goes on
                  last.close();
                };
              }

              @Override
              public void event(CliEvent event) {
                output.publish(event);
                StepLastOutput last = lastOutput.get();
                if (last != null) {
                  last.line(
                      event.kind().name().toLowerCase(Locale.ROOT)
                          + ": "
                          + JsonLines.oneLine(event.text(), LiveOutput.MAX_CHARS));
                }
              }
            });
    return run.result();
  }

  private String resumeNote(AgentSession prior, boolean resumed) {
    String why =
        call.afterAnswer() ? "a person answered the agent's question" : "the step was interrupted";
    String freshWith =
        call.afterAnswer()
            ? "the question and the answer in its prompt"
            : "the step's checkpoint notes";
    if (resumed) {
      return why + "; the agent's own session " + prior.id() + " was restored and resumed";
    }
    if (!agent.preset().resumable()) {
      return why
          + "; "
          + tool
          + " cannot resume its session, so the agent started fresh with "
          + freshWith;
    }
    return why + " before the agent's session was saved; the agent started fresh with " + freshWith;
  }

  private void restore(Path home, Path workspace, AgentSession prior) {
    String content = context.readArtifact(prior.saved());
    Path target =
        agent
            .preset()
            .sessionFileTarget(home, workspace, prior.id(), prior.file())
            .orElseThrow(
                () ->
                    new AgentOsException(
                        ErrorCode.INTERNAL,
                        "the saved session file "
                            + prior.file()
                            + " has no place in the new HOME"));
    try {
      Files.createDirectories(target.getParent());
      Files.writeString(target, content);
    } catch (IOException e) {
      throw new AgentOsException(
          ErrorCode.UNAVAILABLE,
          "cannot restore the agent's session file to " + target + ": " + e.getMessage(),
          e);
    }
  }

  private StepRecord record() {
    return context
        .state()
        .currentIteration()
        .executionOrEmpty()
        .step(stepId)
        .orElseThrow(
            () -> new AgentOsException(ErrorCode.INTERNAL, "step " + stepId + " was not started"));
  }

  /** Copies the tool's session file when it changed since the last copy; runs on heartbeats. */
  private final class SessionCopier {
    private final Path home;
    private final Path workspace;
    private final int attempt;
    private String sessionId;
    private long copiedSize = -1;
    private long copiedModified = -1;
    private boolean closed;

    SessionCopier(Path home, Path workspace, String sessionId, int attempt) {
      this.home = home;
      this.workspace = workspace;
      this.sessionId = sessionId;
      this.attempt = attempt;
    }

    synchronized void close() {
      closed = true;
    }

    synchronized void copyIfChanged() {
      if (closed) {
        return;
      }
      Optional<Path> found = agent.preset().sessionFile(home, workspace, sessionId);
      if (found.isEmpty() || !Files.isRegularFile(found.get())) {
        return;
      }
      Path file = found.get();
      try {
        long size = Files.size(file);
        long modified = Files.getLastModifiedTime(file).toMillis();
        if (size == copiedSize && modified == copiedModified) {
          return;
        }
        String id = sessionId != null ? sessionId : agent.preset().sessionIdOf(file).orElse(null);
        if (id == null) {
          return;
        }
        ArtifactRef copy =
            context.storeArtifact(
                "iteration-"
                    + context.state().iteration()
                    + "/step-"
                    + stepId
                    + "-agent-session.jsonl",
                Files.readString(file));
        AgentSession saved = new AgentSession(tool, id, home.relativize(file).toString(), copy);
        context.checkpointRunningStep(stepId, attempt, r -> r.withAgentSession(saved));
        sessionId = id;
        copiedSize = size;
        copiedModified = modified;
      } catch (IOException e) {
        LOG.warnf(
            "cycle=%s step=%s the agent's session file could not be copied: %s",
            context.state().cycleId(), stepId, e.getMessage());
      }
    }
  }
}
