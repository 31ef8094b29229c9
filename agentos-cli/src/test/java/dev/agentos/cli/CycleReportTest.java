package dev.agentos.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.json.Json;
import dev.agentos.state.CycleState;
import dev.agentos.state.Delivery;
import dev.agentos.state.GitRef;
import dev.agentos.state.Iteration;
import dev.agentos.state.Workspace;
import java.util.List;
import org.junit.jupiter.api.Test;

class CycleReportTest {
  @Test
  void showsEveryStepWithItsStatusAttemptsAndSummary() {
    List<String> lines =
        CycleReport.lines(States.executing(), States.CREATED.plusSeconds(9), Style.plain());
    String text = String.join("\n", lines);
    assertTrue(
        text.contains("status     EXECUTING  phase EXECUTE  iteration 1 of at most 3"), text);
    assertTrue(text.contains("workspace  /repos/shop"), text);
    assertTrue(
        lines.stream()
            .anyMatch(
                l ->
                    l.matches(
                        "\\s+1\\s+1\\. Cart items\\s+COMPLETED\\s+1\\s+3\\.0s\\s+Added the cart items")),
        text);
    assertTrue(
        lines.stream().anyMatch(l -> l.matches("\\s+2\\s+2\\. Totals\\s+RUNNING\\s+2\\s+-\\s+-")),
        text);
    assertTrue(
        lines.stream()
            .anyMatch(l -> l.matches("\\s+3\\s+3\\. Documentation\\s+PENDING\\s+-\\s+-\\s+-")),
        text);
    assertTrue(text.contains("EXECUTE  1,500 tokens"), text);
    assertTrue(text.contains("agentos watch 20261120-100000-abc"), text);
  }

  @Test
  void showsTheReviewChecksAndTheRecapOfACompletedCycle() {
    String text =
        String.join(
            "\n",
            CycleReport.lines(States.completed(), States.CREATED.plusSeconds(60), Style.plain()));
    assertTrue(text.contains("REVIEW   PASS  score 100 (HIGH)"), text);
    assertTrue(text.contains("pass every step completed: 3 of 3"), text);
    assertTrue(text.contains("recap .agent-os/recaps/2026-11-20-cart.md"), text);
    assertTrue(text.contains("created 2026-11-20T10:00:00Z"), text);
  }

  @Test
  void showsAGitCyclesBranchAndHowItsDeliveryEnded() {
    CycleState completed = States.completed();
    GitRef git =
        new GitRef(
            "git://git.example/shop.git",
            "main",
            null,
            "agentos/" + completed.cycleId(),
            "0123456789abcdef0123456789abcdef01234567",
            Delivery.FAST_FORWARD);
    CycleState delivered =
        completed.toBuilder()
            .workspace(new Workspace(null, git, null))
            .extra(
                "delivery",
                Json.mapper()
                    .createObjectNode()
                    .put("status", "LEFT_FOR_REVIEW")
                    .put("reason", "main moved to abc since the cycle started"))
            .build();

    String text = String.join("\n", CycleReport.lines(delivered, States.CREATED, Style.plain()));

    assertTrue(
        text.contains(
            "workspace  git://git.example/shop.git branch agentos/"
                + completed.cycleId()
                + " from main (deliver: fast-forward)"),
        text);
    assertTrue(
        text.contains("delivery   LEFT_FOR_REVIEW: main moved to abc since the cycle started"),
        text);
  }

  @Test
  void saysAReviewIsUnverifiedWhenNothingJudgedTheWork() {
    CycleState completed = States.completed();
    Iteration it = completed.currentIteration();
    CycleState unverified =
        completed.withCurrentIteration(
            it.withReview(it.review().withUnverified("unverified: no check ran")));

    String text = String.join("\n", CycleReport.lines(unverified, States.CREATED, Style.plain()));

    assertTrue(
        text.contains("REVIEW   PASS  score 100 (HIGH)\n    unverified: no check ran"), text);
  }

  @Test
  void showsTheErrorOfAFailedCycle() {
    String text =
        String.join("\n", CycleReport.lines(States.failed(), States.CREATED, Style.plain()));
    assertTrue(text.contains("error      EXECUTE AGENT_FAILED: the agent exited with 2"), text);
    assertTrue(text.contains("agentos retry"), text);
  }
}
