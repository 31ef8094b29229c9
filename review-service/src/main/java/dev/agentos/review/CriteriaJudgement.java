package dev.agentos.review;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentos.spec.CriterionVerdict;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The review agent's verdict on each criterion no check could decide (a ticked box is met, a
 * criterion of an open task is not met; the rest need judging). The prompt lists those criteria as
 * {@code C<n>} and asks for a {@code "criteria"} array in the critique's JSON; the answer is read
 * strictly: a criterion the agent gives no verdict for, a verdict other than the three words, or
 * two verdicts for one criterion leave it to a person. What the checks decided stands.
 */
final class CriteriaJudgement {
  static final String FIELD = "criteria";
  static final int MAX_WHY_CHARS = 300;
  private static final Map<String, CriterionVerdict.Status> WORDS =
      Map.of(
          "met", CriterionVerdict.Status.MET,
          "not_met", CriterionVerdict.Status.NOT_MET,
          "needs_person", CriterionVerdict.Status.NEEDS_PERSON);

  private CriteriaJudgement() {}

  /** The prompt's criteria section: what to answer, then each criterion to judge with its id. */
  static String prompt(List<CriterionVerdict> byCheck) {
    Map<String, CriterionVerdict> open = undecided(byCheck);
    if (open.isEmpty()) {
      return byCheck.isEmpty()
          ? "(the spec names no criteria)"
          : "(none: the files decide every criterion of the spec)";
    }
    StringBuilder text =
        new StringBuilder(
            "Judge each criterion below. Add to your JSON object a \"criteria\" array with one"
                + " entry per criterion: {\"id\": \"C1\", \"verdict\": \"met\" | \"not_met\" |"
                + " \"needs_person\", \"why\": \"the evidence, in one line\"}. Say met or not_met"
                + " only when the diff, the files or the checks show it; needs_person when only a"
                + " person can tell (a manual test, a measurement in production).\n");
    open.forEach(
        (id, v) ->
            text.append("- ")
                .append(id)
                .append(": ")
                .append(v.criterion().text())
                .append(" [")
                .append(v.source())
                .append("]\n"));
    return text.toString().strip();
  }

  /** The verdicts after the agent's answer {@code tree}: the checks' where they decided. */
  static List<CriterionVerdict> judge(JsonNode tree, List<CriterionVerdict> byCheck) {
    Map<String, CriterionVerdict> open = undecided(byCheck);
    Map<String, List<JsonNode>> answers = new HashMap<>();
    for (JsonNode entry : tree.path(FIELD)) {
      JsonNode id = entry.path("id");
      if (id.isTextual() && open.containsKey(id.asText())) {
        answers.computeIfAbsent(id.asText(), k -> new ArrayList<>()).add(entry);
      }
    }
    List<CriterionVerdict> judged = new ArrayList<>(byCheck);
    for (int i = 0; i < byCheck.size(); i++) {
      String id = id(i);
      if (open.containsKey(id)) {
        judged.set(i, verdict(byCheck.get(i), answers.getOrDefault(id, List.of())));
      }
    }
    return List.copyOf(judged);
  }

  private static CriterionVerdict verdict(CriterionVerdict byCheck, List<JsonNode> answers) {
    if (answers.isEmpty()) {
      return person(byCheck, "it gave no verdict");
    }
    Set<String> said = new LinkedHashSet<>();
    answers.forEach(a -> said.add(a.path("verdict").asText("")));
    if (said.size() > 1) {
      return person(byCheck, "it gave " + said.size() + " different verdicts");
    }
    JsonNode answer = answers.get(0);
    JsonNode word = answer.path("verdict");
    CriterionVerdict.Status status = word.isTextual() ? WORDS.get(word.asText()) : null;
    if (status == null) {
      return person(
          byCheck,
          "its verdict " + bounded(word.toString()) + " is none of met, not_met, needs_person");
    }
    return new CriterionVerdict(
        byCheck.criterion(),
        status,
        CriterionVerdict.BY_REVIEW_AGENT,
        bounded(answer.path("why").asText("")));
  }

  private static CriterionVerdict person(CriterionVerdict byCheck, String why) {
    return new CriterionVerdict(
        byCheck.criterion(),
        CriterionVerdict.Status.NEEDS_PERSON,
        CriterionVerdict.BY_REVIEW_AGENT,
        why);
  }

  /** The criteria the checks left to a person, by the id the prompt gives them. */
  private static Map<String, CriterionVerdict> undecided(List<CriterionVerdict> byCheck) {
    Map<String, CriterionVerdict> open = new LinkedHashMap<>();
    for (int i = 0; i < byCheck.size(); i++) {
      if (byCheck.get(i).status() == CriterionVerdict.Status.NEEDS_PERSON) {
        open.put(id(i), byCheck.get(i));
      }
    }
    return open;
  }

  private static String id(int index) {
    return "C" + (index + 1);
  }

  private static String bounded(String text) {
    String line = text.strip().replaceAll("\\s+", " ");
    return line.length() <= MAX_WHY_CHARS ? line : line.substring(0, MAX_WHY_CHARS) + "…";
  }
}
