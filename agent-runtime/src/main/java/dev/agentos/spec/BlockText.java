package dev.agentos.spec;

import java.util.List;

/** A run of lines cut out of a file: outer blank lines and the shared indentation removed. */
final class BlockText {

  private BlockText() {}

  static String of(List<String> lines) {
    int first = 0;
    int last = lines.size() - 1;
    while (first <= last && lines.get(first).isBlank()) {
      first++;
    }
    while (last >= first && lines.get(last).isBlank()) {
      last--;
    }
    int indent = Integer.MAX_VALUE;
    for (int i = first; i <= last; i++) {
      String line = lines.get(i);
      if (!line.isBlank()) {
        indent = Math.min(indent, MarkdownScanner.leadingWhitespace(line).length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (int i = first; i <= last; i++) {
      String line = lines.get(i);
      out.append(line.isBlank() ? "" : line.substring(indent)).append('\n');
    }
    return out.toString().stripTrailing();
  }
}
