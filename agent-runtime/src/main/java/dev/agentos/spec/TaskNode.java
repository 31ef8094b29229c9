package dev.agentos.spec;

import java.util.ArrayList;
import java.util.List;

/**
 * A task-to-be while tasks.md is read. Whether it is a task is only known once everything below it
 * is read: a plain item ("1. Parent") becomes one when boxes sit under it, else its text is a note.
 */
final class TaskNode {

  /** A line of text attached to a node, kept with its line number to restore file order. */
  record Note(int line, String text) {}

  final int line;
  final int indent;
  final int contentColumn;
  final boolean heading;
  final Checkbox checkbox;
  final String raw;
  final TaskText text;
  final String number;
  final TaskNode parent;
  boolean oddBox;

  /** The phase or area heading the task sits under (Spec Kit's "Phase 1: Setup"), else empty. */
  String section = "";

  /** The numbers of the tasks this one waits for, from a "Dependencies:" line or its title. */
  final List<String> dependsOn = new ArrayList<>();

  final List<TaskNode> children = new ArrayList<>();
  final List<Note> notes = new ArrayList<>();
  boolean task;

  TaskNode(
      int line,
      int indent,
      int contentColumn,
      boolean heading,
      Checkbox checkbox,
      String raw,
      TaskText text,
      String number,
      TaskNode parent) {
    this.line = line;
    this.indent = indent;
    this.contentColumn = contentColumn;
    this.heading = heading;
    this.checkbox = checkbox;
    this.raw = raw;
    this.text = text;
    this.number = number;
    this.parent = parent;
  }
}
