package dev.agentos.review;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.agent.AgentCalls;
import dev.agentos.error.AgentOsException;
import dev.agentos.json.Json;
import dev.agentos.state.FeedbackItem;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A review model's critique, scored on the five criteria of the Agent OS review. The answer must be
 * the JSON the prompt asks for; anything else is an AGENT_ANSWER_INVALID error that says what was
 * wrong, which Review sends back to the model once.
 */
record Critique(Map<String, Integer> scores, List<FeedbackItem> feedback, List<Insight> insights) {

  /** The criteria and their maximum points; they add up to 100. */
  static final Map<String, Integer> CRITERIA =
      orderedMap(
          "completeness", 30, "accuracy", 25, "clarity", 20, "compliance", 15, "usability", 10);

  record Insight(String title, String context, String decision) {}

  int score() {
    return scores.values().stream().mapToInt(Integer::intValue).sum();
  }

  static Critique parse(String answer) {
    JsonNode tree = tree(answer);
    JsonNode scoresNode = tree.path("scores");
    if (!scoresNode.isObject()) {
      throw invalid("the answer needs a \"scores\" object with the five criteria");
    }
    Map<String, Integer> scores = new LinkedHashMap<>();
    for (Map.Entry<String, Integer> criterion : CRITERIA.entrySet()) {
      JsonNode value = scoresNode.path(criterion.getKey());
      if (!value.isIntegralNumber() || value.asInt() < 0 || value.asInt() > criterion.getValue()) {
        throw invalid(
            "scores."
                + criterion.getKey()
                + " must be a whole number from 0 to "
                + criterion.getValue()
                + (value.isMissingNode() ? ", and is missing" : ", not " + value));
      }
      scores.put(criterion.getKey(), value.asInt());
    }
    List<FeedbackItem> feedback = new ArrayList<>();
    for (JsonNode item : tree.path("feedback")) {
      String what = item.path("what").asText("").strip();
      if (what.isEmpty()) {
        throw invalid("every feedback item needs a non-empty \"what\"");
      }
      feedback.add(new FeedbackItem(what, text(item, "where"), text(item, "why")));
    }
    List<Insight> insights = new ArrayList<>();
    for (JsonNode item : tree.path("insights")) {
      String title = item.path("title").asText("").strip();
      String decision = item.path("decision").asText("").strip();
      if (!title.isEmpty() && !decision.isEmpty()) {
        insights.add(new Insight(title, text(item, "context"), decision));
      }
    }
    return new Critique(scores, List.copyOf(feedback), List.copyOf(insights));
  }

  /** The JSON object in the answer, which other parts of the answer are read from too. */
  static JsonNode tree(String answer) {
    if (answer == null) {
      throw invalid("the answer is empty");
    }
    int start = answer.indexOf('{');
    int end = answer.lastIndexOf('}');
    if (start < 0 || end < start) {
      throw invalid("the answer holds no JSON object");
    }
    try {
      return Json.tree(answer.substring(start, end + 1).getBytes(StandardCharsets.UTF_8));
    } catch (AgentOsException e) {
      throw invalid("the answer is not valid JSON (" + e.getMessage() + ")");
    }
  }

  private static String text(JsonNode item, String field) {
    String value = item.path(field).asText("").strip();
    return value.isEmpty() ? null : value;
  }

  private static AgentOsException invalid(String why) {
    return AgentCalls.invalidAnswer(why);
  }

  private static Map<String, Integer> orderedMap(Object... pairs) {
    Map<String, Integer> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put((String) pairs[i], (Integer) pairs[i + 1]);
    }
    return java.util.Collections.unmodifiableMap(map);
  }
}
