package dev.agentos.spec;

import dev.agentos.error.AgentOsException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A stable handle on a task in tasks.md, good from one parse to an edit made later on a text whose
 * boxes may have been ticked in between (ticking and blocking notes never add or move tasks).
 *
 * <p>A task whose number is written in the file and unique in it is referred to by that number:
 * {@code 2}, {@code 2.3}, {@code 1.1b}, Spec Kit's {@code T012}. Any other task (unnumbered, or
 * sharing its number with another) is referred to by its position below its parent's reference:
 * {@code #2} is the second top-level task, {@code 2/#3} the third sub-task of task 2, {@code #2/#1}
 * the first sub-task of the second. Numbers survive a person inserting a task above; positions do
 * not, which is why they are the fallback.
 *
 * <p>The string form ({@link #toString()}, read back by {@link #parse(String)}) is what a plan step
 * stores as its {@code task_ref}.
 */
public record TaskRef(List<String> path) {

  private static final Pattern SEGMENT =
      Pattern.compile("#[1-9]\\d*|\\d+[a-zA-Z]?(?:\\.\\d+[a-zA-Z]?)*|T\\d+");

  public TaskRef {
    path = List.copyOf(path);
    if (path.isEmpty()) {
      throw AgentOsException.invalid("a task ref needs at least one segment, e.g. 2.3 or #2");
    }
    for (String segment : path) {
      if (!SEGMENT.matcher(segment).matches()) {
        throw AgentOsException.invalid(
            "task ref '"
                + String.join("/", path)
                + "' has a segment '"
                + segment
                + "' that is neither a task number (2.3, T012) nor a position (#3)");
      }
    }
  }

  /** A task by its number as written in the file, e.g. "2.3". */
  public static TaskRef number(String number) {
    return new TaskRef(List.of(number));
  }

  /** The {@code position}-th (1-based) task below {@code parent}, or at the top when it is null. */
  static TaskRef position(TaskRef parent, int position) {
    List<String> path = new ArrayList<>(parent == null ? List.of() : parent.path);
    path.add("#" + position);
    return new TaskRef(path);
  }

  /** Reads the string form, e.g. "2.3", "#2" or "2/#3". */
  public static TaskRef parse(String text) {
    if (text == null || text.isBlank()) {
      throw AgentOsException.invalid(
          "task ref is empty; give a task number such as 2.3 or a position such as #2/#3");
    }
    return new TaskRef(List.of(text.strip().split("/", -1)));
  }

  @Override
  public String toString() {
    return String.join("/", path);
  }
}
