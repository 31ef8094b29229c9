package dev.agentos.review;

import dev.agentos.error.AgentOsException;
import dev.agentos.spec.CriteriaVerdicts;
import dev.agentos.spec.CriterionVerdict;
import dev.agentos.spec.RecapSections;
import dev.agentos.state.Band;
import dev.agentos.state.ExpressResult;
import dev.agentos.state.Verdict;
import dev.agentos.workspace.WorkspaceFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Puts what Review decided into the recap Express wrote before Review ran, so the recap a person
 * reads says it: the verdicts on the criteria, and that the verdict is unverified when no check and
 * no critique judged the work. Only those sections of the recap change.
 */
final class RecapUpdates {
  /** The recap's heading over the note of an unverified review. */
  static final String VERIFICATION = "## Verification";

  private RecapUpdates() {}

  /**
   * Rewrites the criteria section of the iteration's recap; a note when it could not, else empty.
   */
  static Optional<String> criteria(
      Path workspace, ExpressResult express, List<CriterionVerdict> verdicts, boolean byAgent) {
    if (verdicts.isEmpty()) {
      return Optional.empty();
    }
    String judgedBy =
        byAgent
            ? "Judged by Review: the files decide where they can, the review agent the rest."
            : "Judged by Review from the files alone (no review agent is configured).";
    return rewrite(
        workspace,
        express,
        "criteria",
        recap ->
            CriteriaVerdicts.replaceSection(recap, CriteriaVerdicts.section(verdicts, judgedBy)));
  }

  /**
   * Says in the iteration's recap that Review's verdict is unverified, and why (a reader of the
   * recap alone would otherwise take its verdict and score as judged); a note when it could not,
   * else empty.
   */
  static Optional<String> unverified(
      Path workspace, ExpressResult express, Verdict verdict, int score, String why) {
    String section =
        VERIFICATION
            + "\n\n⚠️ Review: "
            + verdict
            + ", score "
            + score
            + " ("
            + Band.of(score)
            + "), "
            + why
            + "\n";
    return rewrite(
        workspace,
        express,
        "the unverified verdict",
        recap -> RecapSections.replace(recap, VERIFICATION, section));
  }

  private static Optional<String> rewrite(
      Path workspace, ExpressResult express, String what, UnaryOperator<String> change) {
    if (express == null || express.recapPath() == null) {
      return Optional.empty();
    }
    WorkspaceFiles files = WorkspaceFiles.of(workspace);
    try {
      Optional<String> recap = files.read(express.recapPath(), "recap");
      if (recap.isEmpty()) {
        return Optional.of(
            "recap " + express.recapPath() + " is gone: " + what + " not written to it");
      }
      String updated = change.apply(recap.get());
      if (!updated.equals(recap.get())) {
        files.write(express.recapPath(), "recap", updated);
      }
      return Optional.empty();
    } catch (AgentOsException e) {
      return Optional.of(what + " not written to the recap: " + e.getMessage());
    }
  }
}
