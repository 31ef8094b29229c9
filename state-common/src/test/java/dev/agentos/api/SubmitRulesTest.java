package dev.agentos.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import dev.agentos.git.AllowedRemotes;
import dev.agentos.json.Json;
import dev.agentos.state.AgentOverride;
import dev.agentos.state.Budget;
import dev.agentos.state.CycleOptions;
import dev.agentos.state.CycleState;
import dev.agentos.state.Delivery;
import dev.agentos.state.Extra;
import dev.agentos.workspace.WorkspacePaths;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a submit may choose: profiles and checks by name, budgets under the ceiling, ids that are
 * not a chain link's. Each refusal is INVALID_REQUEST and says what may be used instead.
 */
class SubmitRulesTest {
  private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");

  @TempDir Path workspace;

  /** Two profiles (one unpriced), two checks, a ceiling of 100k tokens and $5. */
  private static final OperatorRules RULES =
      new OperatorRules() {
        @Override
        public List<String> profiles(String project) {
          return List.of("claude", "local-qwen");
        }

        @Override
        public List<String> checks(String project, Path workspace) {
          return List.of("lint", "tests");
        }

        @Override
        public Budget ceiling(String project) {
          return new Budget(100_000L, 5.0, null);
        }

        @Override
        public AllowedRemotes remotes() {
          return AllowedRemotes.parse("https://git.example/team/");
        }

        @Override
        public Optional<String> unpriced(String project, Map<String, String> profiles) {
          return "local-qwen".equals(profiles.get("executor"))
              ? Optional.of(
                  "role executor uses profile local-qwen with model qwen, which has no price")
              : Optional.empty();
        }
      };

  private Submissions submissions(Budget defaults) {
    return new Submissions(
        null,
        null,
        null,
        WorkspacePaths.unconfined(),
        defaults,
        InstructionRules.EXECUTE_TASKS_ONLY,
        RULES,
        Clock.systemUTC());
  }

  private CycleState submit(String options) {
    return submit(options, Budget.unlimited());
  }

  private CycleState submit(String options, Budget defaults) {
    String body =
        "{\"project\":\"shop\",\"goal\":\"a cart\",\"workspace\":{\"path\":\""
            + workspace
            + "\"},\"options\":"
            + options
            + "}";
    SubmitRequest request = Json.read(body.getBytes(StandardCharsets.UTF_8), SubmitRequest.class);
    return submissions(defaults).newCycle(request, "c-1", NOW);
  }

  private String refused(String options) {
    AgentOsException e = assertThrows(AgentOsException.class, () -> submit(options));
    assertEquals(ErrorCode.INVALID_REQUEST, e.code(), e.getMessage());
    return e.getMessage();
  }

  @Test
  void aProfileIsChosenByNameInShortOrLongForm() {
    CycleState state =
        submit("{\"agents\":{\"executor\":\"claude\",\"review\":{\"profile\":\"local-qwen\"}}}");

    assertEquals(AgentOverride.of("claude"), state.options().agents().get("executor"));
    assertEquals(AgentOverride.of("local-qwen"), state.options().agents().get("review"));
  }

  @Test
  void aCommandLineIsRefusedListingTheProfiles() {
    String message = refused("{\"agents\":{\"executor\":{\"command\":[\"sh\",\"-c\",\"id\"]}}}");

    assertTrue(message.startsWith("options.agents.executor sets command:"), message);
    assertTrue(message.contains("profiles project shop may use: claude, local-qwen"), message);
  }

  @Test
  void aBaseUrlABackendOrAModelIsRefusedNamingEach() {
    String message =
        refused(
            "{\"agents\":{\"review\":{\"backend\":\"openai\",\"model\":\"gpt\","
                + "\"base_url\":\"http://evil.example/v1\"}}}");

    assertTrue(message.contains("sets backend, model, base_url"), message);
    assertTrue(message.contains("claude, local-qwen"), message);
  }

  @Test
  void anUnknownProfileOrRoleIsRefused() {
    assertTrue(
        refused("{\"agents\":{\"executor\":\"root\"}}")
            .contains("options.agents.executor.profile 'root' is not a profile"));
    assertTrue(refused("{\"agents\":{\"janitor\":\"claude\"}}").contains("options.agents"));
    assertTrue(refused("{\"agents\":{\"executor\":{}}}").contains("names no profile"));
  }

  @Test
  void checksAreNamedAndAShellLineIsRefusedListingTheChecks() {
    assertEquals(List.of("tests"), submit("{\"verify\":[\"tests\"]}").options().verify());

    String message = refused("{\"verify\":[\"tests\",\"rm -rf /\"]}");

    assertTrue(message.contains("'rm -rf /' is not a check project shop may run"), message);
    assertTrue(message.contains("checks: lint, tests"), message);
  }

  @Test
  void aBudgetMayLowerTheLimitsButNotPassTheCeiling() {
    Budget defaults = new Budget(50_000L, 2.0, 600L);

    Budget lowered = submit("{\"budget\":{\"tokens\":1000}}", defaults).options().budget();
    assertEquals(new Budget(1000L, 2.0, 600L), lowered, "fields left out keep the defaults");
    assertEquals(defaults, submit("{}", defaults).options().budget());
    assertEquals(
        new Budget(100_000L, 2.0, 600L),
        submit("{\"budget\":{\"tokens\":100000}}", defaults).options().budget(),
        "up to the ceiling");

    String message = refused("{\"budget\":{\"tokens\":100001}}");
    assertTrue(message.contains("options.budget.tokens=100001"), message);
    assertTrue(message.contains("ceiling of 100000"), message);
    assertTrue(message.contains("agentos.budget.ceiling.tokens"), message);
  }

  @Test
  void noBudgetMeansTheDefaultsAndALimitWithoutOneIsTheCeiling() {
    assertEquals(
        new Budget(100_000L, 5.0, 60L),
        submit("{\"budget\":{\"wall_seconds\":60}}").options().budget(),
        "no default: the ceiling is the limit");
    assertNull(
        new Submissions(
                null,
                null,
                null,
                WorkspacePaths.unconfined(),
                Budget.unlimited(),
                InstructionRules.EXECUTE_TASKS_ONLY,
                OperatorRules.NONE,
                Clock.systemUTC())
            .newCycle(
                Json.read(
                    ("{\"project\":\"shop\",\"goal\":\"g\",\"workspace\":{\"path\":\""
                            + workspace
                            + "\"}}")
                        .getBytes(StandardCharsets.UTF_8),
                    SubmitRequest.class),
                "c-1",
                NOW)
            .options()
            .budget(),
        "no limits configured, none asked: unlimited");
  }

  @Test
  void aCostBudgetWithAnUnpricedModelIsRefused() {
    String message =
        refused(
            "{\"agents\":{\"executor\":\"local-qwen\"},\"budget\":{\"tokens\":10,\"cost_usd\":1}}");

    assertTrue(message.contains("cost budget"), message);
    assertTrue(message.contains("local-qwen with model qwen, which has no price"), message);
    assertEquals(
        1.0,
        submit("{\"agents\":{\"executor\":\"claude\"},\"budget\":{\"tokens\":10,\"cost_usd\":1}}")
            .options()
            .budget()
            .costUsd());
  }

  @Test
  void aResumeMayRaiseUpToTheCeilingOnlyAndACostLimitNeedsPricedModels() {
    Submissions submissions = submissions(Budget.unlimited());
    CycleState cycle =
        submit("{\"agents\":{\"executor\":\"claude\"},\"budget\":{\"tokens\":1000}}").toBuilder()
            .options(
                submit("{\"agents\":{\"executor\":\"claude\"},\"budget\":{\"tokens\":1000}}")
                    .options()
                    .withBudget(new Budget(1_000L, 1.0, null)))
            .build();

    assertEquals(
        new Budget(90_000L, 1.0, null),
        submissions.resumeBudget(cycle, new Budget(90_000L, null, null)));
    AgentOsException above =
        assertThrows(
            AgentOsException.class,
            () -> submissions.resumeBudget(cycle, new Budget(null, 6.0, null)));
    assertTrue(above.getMessage().contains("budget.cost_usd=6.0 is above"), above.getMessage());

    // Written before the ceiling had a cost limit: tokens only, and an unpriced profile.
    CycleState unpriced =
        cycle.toBuilder()
            .options(
                new CycleOptions(
                    null,
                    new Budget(10L, null, null),
                    null,
                    null,
                    null,
                    Map.of("executor", AgentOverride.of("local-qwen")),
                    null,
                    null,
                    Extra.none()))
            .build();
    AgentOsException cost =
        assertThrows(
            AgentOsException.class,
            () -> submissions.resumeBudget(unpriced, new Budget(null, 2.0, null)));
    assertTrue(cost.getMessage().contains("a cost budget (budget.cost_usd)"), cost.getMessage());
  }

  private CycleState submitWorkspace(String workspace) {
    String body =
        "{\"project\":\"shop\",\"workspace\":"
            + workspace
            + ",\"spec\":\".agent-os/specs/2026-11-20-cart\"}";
    SubmitRequest request = Json.read(body.getBytes(StandardCharsets.UTF_8), SubmitRequest.class);
    return submissions(Budget.unlimited()).newCycle(request, "20261207-1000-abc", NOW);
  }

  @Test
  void aFastForwardDeliveryIsRefusedUnlessAllowedAndKeptWhenAllowed() {
    String body =
        "{\"git\":{\"url\":\"https://git.example/team/shop.git\",\"ref\":\"main\","
            + "\"deliver\":\"FAST_FORWARD\"}}";
    AgentOsException refused = assertThrows(AgentOsException.class, () -> submitWorkspace(body));
    assertEquals(ErrorCode.INVALID_REQUEST, refused.code());
    assertTrue(refused.getMessage().contains("FAST_FORWARD"), refused.getMessage());
    CycleState review =
        submitWorkspace(
            "{\"git\":{\"url\":\"https://git.example/team/shop.git\",\"ref\":\"main\","
                + "\"deliver\":\"REVIEW\"}}");
    assertEquals(Delivery.REVIEW, review.workspace().git().deliver());
  }

  @Test
  void anAllowedRemoteBecomesTheCyclesBranchWithoutAPath() {
    CycleState state =
        submitWorkspace(
            "{\"git\":{\"url\":\"https://git.example/team/shop.git\",\"ref\":\"main\"}}");
    assertNull(state.workspace().path());
    assertEquals("https://git.example/team/shop.git", state.workspace().git().url());
    assertEquals("main", state.workspace().git().ref());
    assertEquals("agentos/20261207-1000-abc", state.workspace().git().branch());
    assertNull(state.workspace().git().head());
  }

  @Test
  void aRemoteOutsideTheAllowedOnesIsRefusedNamingThem() {
    AgentOsException e =
        assertThrows(
            AgentOsException.class,
            () -> submitWorkspace("{\"git\":{\"url\":\"https://evil.example/team/shop.git\"}}"));
    assertEquals(ErrorCode.INVALID_REQUEST, e.code());
    assertTrue(e.getMessage().contains("https://git.example/team/"), e.getMessage());
  }

  @Test
  void aRefThatReadsAsAnOptionOrAFolderLeavingTheRepositoryIsRefused() {
    for (String git :
        List.of(
            "{\"url\":\"https://git.example/team/shop.git\",\"ref\":\"--upload-pack=x\"}",
            "{\"url\":\"https://git.example/team/shop.git\",\"ref\":\"a..b\"}",
            "{\"url\":\"https://git.example/team/shop.git\",\"path\":\"../x\"}",
            "{\"url\":\"https://git.example/team/shop.git\",\"head\":\"abc\"}")) {
      AgentOsException e =
          assertThrows(AgentOsException.class, () -> submitWorkspace("{\"git\":" + git + "}"), git);
      assertEquals(ErrorCode.INVALID_REQUEST, e.code(), git);
    }
  }
}
