package dev.agentos.spec;

/** The state of a task's own box: {@code [x]} or {@code [X]}, {@code [ ]}, or no box at all. */
public enum Checkbox {
  TICKED,
  UNTICKED,
  NONE
}
