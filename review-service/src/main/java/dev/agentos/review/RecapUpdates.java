package dev.agentos.review;

import dev.agentos.error.AgentOsException;
import dev.agentos.spec.CriteriaVerdicts;
import dev.agentos.spec.CriterionVerdict;
import dev.agentos.spec.RecapSections;
import dev.agentos.state.ArtifactRef;
import dev.agentos.state.Band;
import dev.agentos.state.ExpressResult;
import dev.agentos.state.Verdict;
import dev.agentos.worker.PhaseContext;
import dev.agentos.workspace.WorkspaceFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Puts what Review decided into the recap Express wrote before Review ran, so the recap a person
 * reads says it: the verdicts on the criteria, and that the verdict is unverified when no check and
 * no critique judged the work. Only those sections of the recap change; {@link #publish} then puts
 * the rewritten recap where Express put its own (the cycle's branch, the artifact store).
 */
final class RecapUpdates {
  /** The recap's heading over the note of an unverified review. */
  static final String VERIFICATION = "## Verification";

  private final WorkspaceFiles files;
  private final ExpressResult express;
  private String rewritten; // the recap as Review last wrote it; null while unchanged

  RecapUpdates(Path workspace, ExpressResult express) {
    this.files = WorkspaceFiles.of(workspace);
    this.express = express;
  }

  /**
   * Rewrites the criteria section of the iteration's recap; a note when it could not, else empty.
   */
  Optional<String> criteria(List<CriterionVerdict> verdicts, boolean byAgent) {
    if (verdicts.isEmpty()) {
      return Optional.empty();
    }
    String judgedBy =
        byAgent
            ? "Judged by Review: the files decide where they can, the review agent the rest."
            : "Judged by Review from the files alone (no review agent is configured).";
    return rewrite(
        "criteria",
        recap ->
            CriteriaVerdicts.replaceSection(recap, CriteriaVerdicts.section(verdicts, judgedBy)));
  }

  /**
   * Says in the iteration's recap that Review's verdict is unverified, and why (a reader of the
   * recap alone would otherwise take its verdict and score as judged); a note when it could not,
   * else empty.
   */
  Optional<String> unverified(Verdict verdict, int score, String why) {
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
        "the unverified verdict", recap -> RecapSections.replace(recap, VERIFICATION, section));
  }

  /**
   * The recap as rewritten, where Express put its own: in a git workspace a commit of the recap
   * alone (a check's build output stays out of it) pushed to the cycle's branch, recorded with
   * Review's outcome; and in the artifact store, in place of Express's copy, which is what readers
   * without the workspace open. Returns the recap's new reference; empty when Review changed
   * nothing in it or Express stored none.
   *
   * @throws AgentOsException WORKSPACE_MOVED when the cycle's branch moved (the cycle pauses)
   */
  Optional<ArtifactRef> publish(PhaseContext context, String subject) {
    if (rewritten == null) {
      return Optional.empty();
    }
    context.commitWork(subject, List.of(Path.of(express.recapPath())));
    return Optional.ofNullable(express.recap())
        .map(stored -> context.replaceArtifact(stored, rewritten));
  }

  private Optional<String> rewrite(String what, UnaryOperator<String> change) {
    if (express == null || express.recapPath() == null) {
      return Optional.empty();
    }
    try {
      Optional<String> recap = files.read(express.recapPath(), "recap");
      if (recap.isEmpty()) {
        return Optional.of(
            "recap " + express.recapPath() + " is gone: " + what + " not written to it");
      }
      String updated = change.apply(recap.get());
      if (!updated.equals(recap.get())) {
        files.write(express.recapPath(), "recap", updated);
        rewritten = updated;
      }
      return Optional.empty();
    } catch (AgentOsException e) {
      return Optional.of(what + " not written to the recap: " + e.getMessage());
    }
  }
}
