package dev.agentos.state;

import static dev.agentos.state.CycleFixtures.at;
import static dev.agentos.state.CycleFixtures.inStatus;
import static dev.agentos.state.CycleFixtures.review;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import dev.agentos.error.ErrorCode;
import dev.agentos.json.Json;
import dev.agentos.nats.CycleStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every state the code produces validates against the published schema, and nothing else. */
class CycleStateSchemaTest {
  private static final String SCHEMA_RESOURCE = "/schema/cycle-state.v1.json";

  private static JsonNode schemaDocument;
  private static Schema schema;

  @BeforeAll
  static void loadSchema() throws IOException {
    try (InputStream in = CycleStateSchemaTest.class.getResourceAsStream(SCHEMA_RESOURCE)) {
      assertNotNull(in, SCHEMA_RESOURCE + " is not on the classpath");
      schemaDocument = Json.mapper().readTree(in);
    }
    SchemaRegistryConfig config =
        SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build();
    schema =
        SchemaRegistry.withDefaultDialect(
                SpecificationVersion.DRAFT_2020_12,
                registry -> registry.schemaRegistryConfig(config))
            .getSchema(schemaDocument);
  }

  private static List<Error> validate(JsonNode state) {
    return schema.validate(state);
  }

  // ---- states the code produces ---------------------------------------------------------------

  private static Arguments state(String name, CycleState state) {
    return Arguments.of(Named.of(name, state));
  }

  static Stream<Arguments> producedStates() {
    CycleState executing = inStatus(Status.EXECUTING);
    CycleState reviewing = inStatus(Status.REVIEWING);
    CycleState revised = Transitions.reviewed(reviewing, review(Verdict.REVISE), at(150));
    Execution midway =
        Execution.empty()
            .with(CycleFixtures.completedStep("1", at(20)))
            .with(CycleFixtures.failedStep("2", at(70)))
            .with(StepRecord.started("2", 3, at(75)));
    Stream<Arguments> everyStatus =
        Arrays.stream(Status.values()).map(s -> state(s.name(), inStatus(s)));
    Stream<Arguments> more =
        Stream.of(
            state("fresh from the builder", CycleFixtures.queued()),
            state(
                "fresh with every option",
                CycleFixtures.queued(
                    "t-5f0c3a1e9b2d4c6a8e0f", CycleFixtures.options(4, true, true))),
            state(
                "checkpointed mid-execution",
                executing.withCurrentIteration(executing.currentIteration().withExecution(midway))),
            state("reviewed PASS", Transitions.reviewed(reviewing, review(Verdict.PASS), at(150))),
            state(
                "reviewed PASS, unverified",
                Transitions.reviewed(reviewing, CycleFixtures.unverifiedReview(), at(150))),
            state("reviewed REVISE, iteration 2 planning", revised),
            state(
                "reviewed REVISE at max iterations",
                Transitions.reviewed(
                    reviewing.toBuilder().options(CycleFixtures.options(1, false, false)).build(),
                    review(Verdict.REVISE),
                    at(150))),
            state("reviewed FAIL", Transitions.reviewed(reviewing, review(Verdict.FAIL), at(150))),
            state("awaiting approval after plan", CycleFixtures.awaitingPlanApproval()),
            state("awaiting approval before complete", CycleFixtures.awaitingCompletionApproval()),
            state(
                "rejected at a gate",
                Transitions.reject(CycleFixtures.awaitingPlanApproval(), "split step 2", at(20))),
            state(
                "resumed with a raised budget",
                Transitions.resume(
                    inStatus(Status.PAUSED), new Budget(900_000L, null, 7_200L), at(70))),
            state(
                "retried after a failed step",
                Transitions.retry(inStatus(Status.FAILED), null, at(70))),
            state(
                "failed before planning",
                Transitions.fail(
                    inStatus(Status.QUEUED),
                    ErrorCode.MAX_DELIVER_EXHAUSTED,
                    "delivered 5 times",
                    at(5))),
            state(
                "usage added per phase",
                revised.toBuilder().usage(CycleFixtures.usageOfEveryPhase()).build()),
            state(
                "a git workspace",
                CycleFixtures.queued().toBuilder()
                    .workspace(
                        new Workspace(null, new GitRef("https://git.example/shop.git", "main")))
                    .build()),
            state("written by a newer minor version", newerMinorVersion()),
            state("a plan whose steps wait for others", withDependentSteps()),
            state("a parallel step under its own lease", withParallelStep()));
    return Stream.concat(more, everyStatus);
  }

  private static CycleState withDependentSteps() {
    CycleState planned = inStatus(Status.EXECUTING);
    Plan plan = planned.currentIteration().plan();
    List<PlanStep> steps =
        List.of(plan.steps().get(0), plan.steps().get(1).withDependsOn(List.of("1")));
    return planned.withCurrentIteration(
        planned.currentIteration().withPlan(Plan.of(plan.source(), steps, plan.notes())));
  }

  /** Step 1 of a git workspace's graph plan claimed as a work item: the lease is on the step. */
  private static CycleState withParallelStep() {
    CycleState graph =
        withDependentSteps().toBuilder()
            .lease(null)
            .workspace(new Workspace(null, new GitRef("https://git.example/shop.git", "main")))
            .build();
    ClaimDecision claim =
        ParallelSteps.claim(
            graph, graph.iteration(), "1", "executor-host-7/1", CycleFixtures.LEASE, 3, 4, at(40));
    return ((ClaimDecision.Claimed) claim).state();
  }

  @Test
  void readsAStepWrittenBeforeStepLeasesExistedAsHavingNone() {
    ObjectNode stored = Json.mapper().valueToTree(withParallelStep());
    stored.put("schema", "agentos.cycle/v1.3");
    ((ObjectNode) stored.at("/iterations/0/execution/steps/0")).remove("lease");

    CycleState read = CycleStore.decode(Json.write(stored));

    assertEquals(null, read.currentIteration().executionOrEmpty().steps().get(0).lease());
    assertEquals(List.of(), validate(stored));
  }

  @Test
  void writesAParallelStepsLeaseOnItsRecord() {
    JsonNode json = Json.mapper().valueToTree(withParallelStep());

    assertEquals(
        "executor-host-7/1", json.at("/iterations/0/execution/steps/0/lease/owner").asText());
    assertTrue(json.at("/lease").isMissingNode(), json::toString);
  }

  @Test
  void readsAPlanStepWrittenBeforeDependsOnExistedAsWaitingForNothing() {
    ObjectNode stored = Json.mapper().valueToTree(withDependentSteps());
    stored.put("schema", "agentos.cycle/v1");
    ((ObjectNode) stored.at("/iterations/0/plan/steps/1")).remove("depends_on");

    CycleState read = CycleStore.decode(Json.write(stored));

    assertEquals(List.of(), read.currentIteration().plan().steps().get(1).dependsOn());
    assertEquals(List.of(), validate(stored));
  }

  @Test
  void writesDependsOnOnlyForAStepThatWaits() {
    JsonNode json = Json.mapper().valueToTree(withDependentSteps());

    assertTrue(json.at("/iterations/0/plan/steps/0/depends_on").isMissingNode(), json::toString);
    assertEquals("1", json.at("/iterations/0/plan/steps/1/depends_on/0").asText());
  }

  @Test
  void rejectsDependsOnThatIsNotAListOfStepIds() {
    ObjectNode state = Json.mapper().valueToTree(withDependentSteps());
    ((ObjectNode) state.at("/iterations/0/plan/steps/1")).put("depends_on", "1");
    assertRejected(state, "depends_on");
  }

  /** What a v1.7 writer might store: extra fields at every level, read back by this version. */
  private static CycleState newerMinorVersion() {
    ObjectNode stored = Json.mapper().valueToTree(inStatus(Status.EXPRESSING));
    stored.put("schema", "agentos.cycle/v1.7");
    stored.putObject("labels").put("team", "payments");
    ((ObjectNode) stored.at("/iterations/0")).put("planner_model", "gpt-5");
    ((ObjectNode) stored.at("/iterations/0/plan/steps/0")).put("estimate_minutes", 25);
    ((ObjectNode) stored.at("/iterations/0/execution/steps/1")).putArray("files").add("Cart.java");
    return CycleStore.decode(Json.write(stored));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("producedStates")
  void everyStateTheCodeProducesValidatesAgainstThePublishedSchema(CycleState state) {
    JsonNode json = Json.mapper().valueToTree(state);
    List<Error> messages = validate(json);
    assertTrue(messages.isEmpty(), () -> messages + "\n" + json.toPrettyString());
  }

  // ---- the schema can fail ------------------------------------------------------------------

  private static ObjectNode validState() {
    return Json.mapper().valueToTree(inStatus(Status.EXPRESSING));
  }

  private static void assertRejected(ObjectNode state, String expectedPath) {
    List<Error> messages = validate(state);
    assertFalse(messages.isEmpty(), "schema accepted " + state);
    assertTrue(
        messages.stream().anyMatch(m -> m.toString().contains(expectedPath)),
        () -> "no message about " + expectedPath + ": " + messages);
  }

  @Test
  void rejectsAnUnknownStatus() {
    ObjectNode state = validState();
    state.put("status", "DONE");
    assertRejected(state, "status");
  }

  @Test
  void rejectsAMissingCycleId() {
    ObjectNode state = validState();
    state.remove("cycle_id");
    assertRejected(state, "cycle_id");
  }

  @Test
  void rejectsACamelCaseDocument() {
    ObjectNode state = validState();
    state.set("cycleId", state.remove("cycle_id"));
    assertRejected(state, "cycle_id");
  }

  @Test
  void rejectsAScoreAbove100() {
    ObjectNode state = Json.mapper().valueToTree(inStatus(Status.COMPLETED));
    ((ObjectNode) state.at("/iterations/0/review")).put("score", 101);
    assertRejected(state, "score");
  }

  @Test
  void rejectsIterationZero() {
    ObjectNode state = validState();
    state.put("iteration", 0);
    assertRejected(state, "iteration");
  }

  @Test
  void rejectsAnotherMajorSchemaVersion() {
    ObjectNode state = validState();
    state.put("schema", "agentos.cycle/v2");
    assertRejected(state, "schema");
  }

  @Test
  void acceptsAMinorSchemaVersion() {
    ObjectNode state = validState();
    state.put("schema", "agentos.cycle/v1.12");
    assertEquals(List.of(), validate(state));
  }

  @Test
  void rejectsAnInstantThatIsNotIso8601() {
    ObjectNode state = validState();
    state.put("updated_at", 1_763_632_800_000L);
    assertRejected(state, "updated_at");
  }

  @Test
  void rejectsALowerCaseStepStatus() {
    ObjectNode state = validState();
    ((ObjectNode) state.at("/iterations/0/execution/steps/0")).put("status", "completed");
    assertRejected(state, "status");
  }

  // ---- the schema matches the code ------------------------------------------------------------

  private static List<String> schemaEnum(String def) {
    List<String> values = new ArrayList<>();
    schemaDocument.at("/$defs/" + def + "/enum").forEach(v -> values.add(v.asText()));
    return values;
  }

  private static List<String> names(Enum<?>[] values) {
    return Arrays.stream(values).map(Enum::name).toList();
  }

  @Test
  void schemaEnumsListExactlyTheJavaEnumValues() {
    assertEquals(names(Status.values()), schemaEnum("status"));
    assertEquals(names(Phase.values()), schemaEnum("phase"));
    assertEquals(names(StepStatus.values()), schemaEnum("stepStatus"));
    assertEquals(names(Verdict.values()), schemaEnum("verdict"));
    assertEquals(names(Band.values()), schemaEnum("band"));
    assertEquals(names(Gate.values()), schemaEnum("gate"));
    assertEquals(names(ErrorCode.values()), schemaEnum("errorCode"));
    assertEquals(Arrays.stream(Phase.values()).map(Phase::role).toList(), schemaEnum("role"));
  }

  @Test
  void schemaIsAValidDraft202012Schema() {
    Schema metaSchema =
        SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
            .getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
    assertEquals(List.of(), metaSchema.validate(schemaDocument));
    assertTrue(
        CycleState.SCHEMA.matches("agentos\\.cycle/v1(\\.[0-9]+)?"),
        "the schema file is v1 (minor versions add optional fields); a new major needs a new file"
            + " and a migration, not "
            + CycleState.SCHEMA);
  }

  @Test
  void everyObjectInTheSchemaIsOpenToNewerMinorVersions() {
    List<String> closed = new ArrayList<>();
    collectClosedObjects(schemaDocument, "#", closed);
    assertEquals(List.of(), closed);
  }

  private static void collectClosedObjects(JsonNode node, String path, List<String> closed) {
    if (node.isObject()) {
      if ("object".equals(node.path("type").asText())
          && node.has("properties")
          && !node.path("additionalProperties").asBoolean(false)) {
        closed.add(path);
      }
      node.fields()
          .forEachRemaining(
              e -> collectClosedObjects(e.getValue(), path + "/" + e.getKey(), closed));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        collectClosedObjects(node.get(i), path + "/" + i, closed);
      }
    }
  }

  @Test
  void everyRecordFieldIsNamedInTheSchema() {
    // A field the code writes but the schema does not describe would pass (objects are open),
    // so check the names explicitly against a rich state.
    JsonNode state =
        Json.mapper()
            .valueToTree(
                inStatus(Status.COMPLETED).toBuilder()
                    .usage(CycleFixtures.usageOfEveryPhase())
                    .lease(new Lease("w", at(1)))
                    .approval(new PendingApproval(Gate.AFTER_PLAN, at(1)))
                    .pauseReason("r")
                    .error(new CycleError(Phase.PLAN, ErrorCode.INTERNAL, "m"))
                    .build());
    List<String> undocumented = new ArrayList<>();
    collectUndocumented(state, schemaDocument, "", undocumented);
    JsonNode unverified =
        Json.mapper()
            .valueToTree(
                Transitions.reviewed(
                    inStatus(Status.REVIEWING), CycleFixtures.unverifiedReview(), at(150)));
    collectUndocumented(unverified, schemaDocument, "", undocumented);
    assertEquals(List.of(), undocumented);
  }

  private static void collectUndocumented(
      JsonNode value, JsonNode def, String path, List<String> undocumented) {
    JsonNode resolved = def;
    while (resolved.has("$ref")) {
      String ref = resolved.get("$ref").asText();
      resolved = schemaDocument.at(ref.substring(1));
    }
    if (value.isObject()) {
      JsonNode properties = resolved.path("properties");
      JsonNode additional = resolved.path("additionalProperties");
      value
          .fields()
          .forEachRemaining(
              e -> {
                if (properties.has(e.getKey())) {
                  collectUndocumented(
                      e.getValue(),
                      properties.get(e.getKey()),
                      path + "/" + e.getKey(),
                      undocumented);
                } else if (additional.isObject()) {
                  collectUndocumented(
                      e.getValue(), additional, path + "/" + e.getKey(), undocumented);
                } else {
                  undocumented.add(path + "/" + e.getKey());
                }
              });
    } else if (value.isArray()) {
      for (int i = 0; i < value.size(); i++) {
        collectUndocumented(value.get(i), resolved.path("items"), path + "/" + i, undocumented);
      }
    }
  }
}
