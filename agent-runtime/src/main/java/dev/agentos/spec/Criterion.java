package dev.agentos.spec;

/**
 * A criterion from a checklist that is not work to do ("Definition of done", "Success metrics",
 * "Acceptance criteria", "Quality gates", a Spec Kit checkpoint, ...): something to verify, not a
 * task to plan.
 *
 * @param line the 1-based line of the criterion
 * @param checkbox whether it is ticked; {@link Checkbox#NONE} for a plain bullet or a checkpoint
 * @param text the text after the marker and the box
 * @param section the heading or label that made it a criterion
 * @param task the label of the task whose criteria these are, empty when they are the spec's own
 */
public record Criterion(int line, Checkbox checkbox, String text, String section, String task) {

  public Criterion(int line, Checkbox checkbox, String text, String section) {
    this(line, checkbox, text, section, "");
  }
}
