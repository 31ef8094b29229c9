package dev.agentos.executor;

import dev.agentos.state.AnsweredQuestion;
import dev.agentos.state.StepRecord;
import java.util.List;

/**
 * What a step's prompt says about the questions its agent asked a person and the answers: the run
 * that continues after an answer is told to go on with it; any later run of the step (a retry, a
 * takeover) is reminded of every answer the step kept.
 */
final class AnswersNote {
  static final String ANSWERED =
      "A person answered the question you asked in this step (the last one below). Go on with"
          + " the step, using the answer.\n";
  static final String EARLIER =
      "Questions you asked a person earlier in this step, and their answers:\n";

  private AnswersNote() {}

  static String of(StepRecord step, boolean afterAnswer) {
    List<AnsweredQuestion> answers = step.answers();
    if (answers == null || answers.isEmpty()) {
      return "";
    }
    StringBuilder note = new StringBuilder(afterAnswer ? ANSWERED : EARLIER);
    for (AnsweredQuestion answered : answers) {
      note.append("Question: ").append(answered.question()).append('\n');
      if (answered.context() != null && !answered.context().isBlank()) {
        note.append("Context: ").append(answered.context()).append('\n');
      }
      note.append("Answer: ").append(answered.answer()).append('\n');
    }
    return note.toString();
  }
}
