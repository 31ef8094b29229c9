package dev.agentos.spec;

/**
 * A checkbox from a criteria section ("Definition of done", "Acceptance criteria", ...): something
 * to verify, not a task to plan.
 *
 * @param line the 1-based line of the checkbox
 * @param checkbox whether it is ticked
 * @param text the text after the box
 * @param section the heading or label that made it a criterion
 */
public record Criterion(int line, Checkbox checkbox, String text, String section) {}
