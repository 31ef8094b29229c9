package dev.agentos.express;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.state.ArtifactRef;
import dev.agentos.state.CycleState;
import dev.agentos.state.ExpressResult;
import dev.agentos.state.Iteration;
import dev.agentos.state.Phase;
import dev.agentos.state.StepStatus;
import dev.agentos.worker.Artifacts;
import dev.agentos.worker.PhaseContext;
import dev.agentos.worker.PhaseLogic;
import dev.agentos.worker.PhaseOutcome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * EXPRESS: turns what the iteration did into something a person reads. It writes the recap to
 * {@code .agent-os/recaps/<spec-name>.md} in the workspace and puts a one-line summary and the
 * recap's place into the state.
 */
public final class ExpressPhase implements PhaseLogic {

  @Override
  public Phase phase() {
    return Phase.EXPRESS;
  }

  @Override
  public PhaseOutcome run(PhaseContext context) {
    CycleState state = context.state();
    Iteration iteration = state.currentIteration();
    Recap recap = Recap.of(state);
    String relative = ".agent-os/recaps/" + recap.name() + ".md";
    Path file = context.workspace().resolve(relative);
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, recap.markdown(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AgentOsException(
          ErrorCode.INTERNAL, "cannot write the recap " + file + ": " + e.getMessage(), e);
    }
    ArtifactRef stored =
        recap.markdown().length() > Artifacts.INLINE_LIMIT
            ? context.storeArtifact("recap-" + iteration.number() + ".md", recap.markdown())
            : null;
    long done =
        iteration.executionOrEmpty().steps().stream()
            .filter(s -> s.status() == StepStatus.COMPLETED)
            .count();
    int planned = iteration.plan() == null ? 0 : iteration.plan().steps().size();
    String summary =
        "Iteration " + iteration.number() + ": " + done + " of " + planned + " steps completed.";
    return new PhaseOutcome.Expressed(ExpressResult.of(summary, relative, stored));
  }
}
