package dev.agentos.state;

import java.time.Instant;

/**
 * A question a step's agent asked and the answer a person gave (schema v1.3), kept on the step so
 * that the run that continues it (and any later attempt) is told both.
 */
public record AnsweredQuestion(
    String question, String context, String answer, Instant askedAt, Instant answeredAt) {}
