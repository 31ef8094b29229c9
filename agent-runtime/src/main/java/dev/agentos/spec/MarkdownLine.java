package dev.agentos.spec;

/**
 * One line of tasks.md as far as task structure is concerned. Lines inside HTML comments never
 * become one of these; lines of a fenced code block are {@link Code}: part of a task's text, never
 * structure.
 */
sealed interface MarkdownLine
    permits MarkdownLine.Heading,
        MarkdownLine.Item,
        MarkdownLine.Text,
        MarkdownLine.Code,
        MarkdownLine.Blank {

  int line();

  /** An ATX heading ({@code ## Tasks}); {@code text} is without the hashes. */
  record Heading(int line, int level, String text) implements MarkdownLine {}

  /**
   * A list item ({@code -}, {@code *}, {@code +} or {@code 1.} marker).
   *
   * @param leading the whitespace before the marker, as written
   * @param indent that whitespace in columns (a tab reaches the next multiple of four)
   * @param contentColumn the column where the item's text starts, where its continuation lines go
   * @param orderedNumber the number of an ordered marker ({@code 2.} gives "2"), else empty
   * @param checkbox the item's box, {@link Checkbox#NONE} without one
   * @param text what follows the marker and the box
   * @param oddBox true when the text starts with a box we do not read, such as {@code [~]}
   */
  record Item(
      int line,
      String leading,
      int indent,
      int contentColumn,
      String orderedNumber,
      Checkbox checkbox,
      String text,
      boolean oddBox)
      implements MarkdownLine {}

  /**
   * Any other non-blank line.
   *
   * @param strayCheckbox true when it holds a box outside inline code, e.g. in a quote or a table
   */
  record Text(int line, int indent, String text, boolean strayCheckbox) implements MarkdownLine {}

  /**
   * A line of a fenced code block, its fences included: an example a task shows, never a task.
   *
   * @param indent the columns before the opening fence, which the block's lines share
   * @param text the line as written
   */
  record Code(int line, int indent, String text) implements MarkdownLine {}

  record Blank(int line) implements MarkdownLine {}
}
