package dev.agentos.planner;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.agent.AgentCalls;
import dev.agentos.error.AgentOsException;
import dev.agentos.json.Json;
import dev.agentos.state.Plan;
import dev.agentos.state.PlanStep;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the plan a model answered for a goal: a JSON list of {@code {"title", "detail"}} objects,
 * bare or in a fenced block. Anything else is an AGENT_ANSWER_INVALID error that says what was
 * wrong, which the planner feeds back to the model once.
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
      steps.add(PlanStep.of(Integer.toString(steps.size() + 1), title, detail, null));
    }
    return Plan.of(SOURCE, steps, List.of());
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
