package dev.agentos.planner;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.agent.AgentCalls;
import dev.agentos.error.AgentOsException;
import dev.agentos.json.Json;
import dev.agentos.state.Plan;
import dev.agentos.state.PlanStep;
import dev.agentos.state.StepGraph;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the plan a model answered for a goal: a JSON list of {@code {"title", "detail",
 * "depends_on"}} objects, bare or in a fenced block. Steps are numbered from 1 in the order given;
 * {@code depends_on} (optional) lists the numbers of the steps a step waits for, and the plan is
 * put in an order where each step comes after them. Anything else, a dependency loop included, is
 * an AGENT_ANSWER_INVALID error that says what was wrong, which the planner feeds back to the model
 * once.
 */
final class GoalPlan {
  static final String SOURCE = "agent";
  static final int MAX_STEPS = 50;
  private static final Pattern FENCED =
      Pattern.compile("```(?:json)?\\s*(\\[.*?])\\s*```", Pattern.DOTALL);

  private GoalPlan() {}

  static Plan parse(String answer) {
    String json = extract(answer);
    JsonNode tree;
    try {
      tree = Json.tree(json.getBytes(StandardCharsets.UTF_8));
    } catch (AgentOsException e) {
      throw invalid("the answer is not valid JSON (" + e.getMessage() + ")");
    }
    if (!tree.isArray() || tree.isEmpty()) {
      throw invalid("the answer must be a non-empty JSON array of steps");
    }
    if (tree.size() > MAX_STEPS) {
      throw invalid(
          "the plan has " + tree.size() + " steps; at most " + MAX_STEPS + " are allowed");
    }
    List<PlanStep> steps = new ArrayList<>();
    for (JsonNode node : tree) {
      String title = node.path("title").asText("").strip();
      if (!node.isObject() || title.isEmpty()) {
        throw invalid("step " + (steps.size() + 1) + " needs a non-empty \"title\"");
      }
      String detail = node.path("detail").asText("").strip();
      String id = Integer.toString(steps.size() + 1);
      steps.add(PlanStep.of(id, title, detail, null).withDependsOn(dependsOn(id, node)));
    }
    try {
      return Plan.of(SOURCE, StepGraph.of(steps).ordered(), List.of());
    } catch (AgentOsException e) {
      throw invalid(e.getMessage());
    }
  }

  /** The step numbers in a step's {@code depends_on}: a list of numbers (or numeric strings). */
  private static List<String> dependsOn(String id, JsonNode node) {
    JsonNode deps = node.path("depends_on");
    if (deps.isMissingNode() || deps.isNull()) {
      return List.of();
    }
    if (!deps.isArray() || deps.size() > MAX_STEPS) {
      throw invalid("step " + id + ": \"depends_on\" must be a list of step numbers");
    }
    List<String> ids = new ArrayList<>();
    for (JsonNode dep : deps) {
      String number = dep.asText("").strip();
      if (!(dep.isIntegralNumber() || dep.isTextual()) || !number.matches("[1-9][0-9]{0,3}")) {
        throw invalid(
            "step " + id + ": \"depends_on\" must list step numbers (1, 2, ...), not " + dep);
      }
      ids.add(number);
    }
    return ids;
  }

  private static String extract(String answer) {
    if (answer == null) {
      throw invalid("the answer is empty");
    }
    Matcher fenced = FENCED.matcher(answer);
    if (fenced.find()) {
      return fenced.group(1);
    }
    int start = answer.indexOf('[');
    int end = answer.lastIndexOf(']');
    if (start < 0 || end < start) {
      throw invalid("the answer holds no JSON array");
    }
    return answer.substring(start, end + 1);
  }

  private static AgentOsException invalid(String why) {
    return AgentCalls.invalidAnswer(why);
  }
}
