package dev.agentos.review;

import dev.agentos.error.AgentOsException;
import dev.agentos.spec.CriteriaVerdicts;
import dev.agentos.spec.CriterionVerdict;
import dev.agentos.state.ExpressResult;
import dev.agentos.workspace.WorkspaceFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Puts Review's verdicts on the criteria into the recap Express wrote before Review ran, so the
 * recap a person reads says what Review decided. Only the recap's criteria section changes.
 */
final class RecapCriteria {
  private RecapCriteria() {}

  /**
   * Rewrites the criteria section of the iteration's recap; a note when it could not, else empty.
   */
  static Optional<String> update(
      Path workspace, ExpressResult express, List<CriterionVerdict> verdicts, boolean byAgent) {
    if (verdicts.isEmpty() || express == null || express.recapPath() == null) {
      return Optional.empty();
    }
    WorkspaceFiles files = WorkspaceFiles.of(workspace);
    try {
      Optional<String> recap = files.read(express.recapPath(), "recap");
      if (recap.isEmpty()) {
        return Optional.of("recap " + express.recapPath() + " is gone: criteria not written to it");
      }
      String judgedBy =
          byAgent
              ? "Judged by Review: the files decide where they can, the review agent the rest."
              : "Judged by Review from the files alone (no review agent is configured).";
      String updated =
          CriteriaVerdicts.replaceSection(
              recap.get(), CriteriaVerdicts.section(verdicts, judgedBy));
      if (!updated.equals(recap.get())) {
        files.write(express.recapPath(), "recap", updated);
      }
      return Optional.empty();
    } catch (AgentOsException e) {
      return Optional.of("criteria not written to the recap: " + e.getMessage());
    }
  }
}
