package dev.agentos.spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Ticks a completed spec's item in the product's roadmap.md: the one unticked item whose text holds
 * every word of the spec folder's name (its date or Spec Kit number left out). When no item or
 * several match, nothing is ticked and the note says so: a wrong tick would tell the team a feature
 * shipped that did not.
 *
 * @param text the roadmap afterwards (unchanged unless exactly one item matched)
 * @param note what happened, for the recap
 */
public record RoadmapItem(String text, String note) {

  private static final Pattern PREFIX =
      Pattern.compile("^(?:\\d{4}-\\d{2}-\\d{2}(?:-\\d{4})?|\\d{3,})-");
  private static final Pattern NOT_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");

  public static RoadmapItem tick(String roadmap, String specName) {
    List<String> words = words(PREFIX.matcher(specName).replaceFirst(""));
    if (words.isEmpty()) {
      return new RoadmapItem(
          roadmap, "roadmap not ticked: spec name " + specName + " has no words");
    }
    TasksFile file = TasksFile.parse(roadmap);
    List<Task> matches = new ArrayList<>();
    collect(file.tasks(), words, Checkbox.UNTICKED, matches);
    List<Task> ticked = new ArrayList<>();
    collect(file.tasks(), words, Checkbox.TICKED, ticked);
    if (matches.isEmpty() && ticked.size() == 1) {
      return new RoadmapItem(roadmap, "roadmap item already ticked: " + ticked.get(0).title());
    }
    if (matches.size() != 1) {
      return new RoadmapItem(
          roadmap,
          "roadmap not ticked: "
              + (matches.isEmpty() ? "no open item names" : matches.size() + " open items name")
              + " all of \""
              + String.join(" ", words)
              + "\"; tick the right one by hand");
    }
    Task item = matches.get(0);
    return new RoadmapItem(
        TasksFile.tick(roadmap, item.ref()), "roadmap item ticked: " + item.title());
  }

  private static void collect(List<Task> level, List<String> words, Checkbox box, List<Task> into) {
    for (Task task : level) {
      if (task.checkbox() == box && words(task.title()).containsAll(words)) {
        into.add(task);
      }
      collect(task.subTasks(), words, box, into);
    }
  }

  private static List<String> words(String text) {
    List<String> words = new ArrayList<>();
    for (String word : NOT_WORD.split(text.toLowerCase(Locale.ROOT))) {
      if (!word.isEmpty()) {
        words.add(word);
      }
    }
    return words;
  }
}
