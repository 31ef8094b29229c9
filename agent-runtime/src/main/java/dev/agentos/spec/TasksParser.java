package dev.agentos.spec;

import dev.agentos.spec.MarkdownLine.Blank;
import dev.agentos.spec.MarkdownLine.Code;
import dev.agentos.spec.MarkdownLine.Heading;
import dev.agentos.spec.MarkdownLine.Item;
import dev.agentos.spec.MarkdownLine.Text;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the task tree out of classified tasks.md lines. Nesting follows relative indentation (a
 * deeper item is a child, an equal one a sibling, a shallower one closes back to its level), so 2,
 * 3, 4 or 5 spaces and tabs all work, mixed in one file. Headings either group tasks ({@code ##
 * Tasks}, Spec Kit's {@code ## Phase 1: Setup}), are a task themselves ({@code ### Task 2: Cart},
 * v2's {@code #### Task Group 2: API}, v3's {@code ## Task 2: API}), open a criteria section whose
 * items are collected apart, or give the order of execution (v2's {@code ## Execution Order}). Code
 * blocks, plain bullets and criteria inside a task stay with that task.
 */
final class TasksParser {

  /**
   * @param executionOrder the task numbers in the order an "Execution Order" section lists them
   */
  record Result(
      List<Task> tasks,
      List<Criterion> criteria,
      List<Issue> issues,
      List<String> executionOrder) {}

  private enum ScopeKind {
    GROUP,
    TASK,
    CRITERIA,
    ORDER
  }

  /** A heading's reach; {@code task} is the heading's task, or for criteria the enclosing one. */
  private record Scope(int level, ScopeKind kind, TaskNode task, String title, int line) {}

  /**
   * Criteria introduced by a line such as "**Acceptance criteria:**" rather than a heading; {@code
   * owner} is the task they belong to, null when they are the spec's own.
   */
  private record CriteriaBlock(
      int indent, boolean fromItem, String title, int line, TaskNode owner) {}

  private static final Pattern HEADING_BOX = Pattern.compile("^\\[([ xX])\\]\\s*(.*)$");
  private static final Pattern HEADING_DECORATION = Pattern.compile("^[^\\p{L}\\p{N}\\[]+");
  private static final Pattern ODD_BOX = Pattern.compile("^\\[[^\\[\\]]?\\]\\s*");
  private static final Pattern SUB_TASK_NUMBER = Pattern.compile("^(\\d+)\\.\\d+(?:\\.\\d+)*$");
  // "## Tasks" holding "- [ ] 1.1" items stays a group; only a sub-heading stands for one task.
  private static final int MIN_INFERRED_TASK_HEADING_LEVEL = 3;
  private static final Pattern CHECKPOINT =
      Pattern.compile("^[*_]*checkpoint[*_]*\\s*[:：]", Pattern.CASE_INSENSITIVE);
  private static final Pattern ORDER_HEADING =
      Pattern.compile(
          "execution order|implementation (?:order|sequence)|order of (?:execution|implementation)"
              + "|recommended (?:order|sequence)",
          Pattern.CASE_INSENSITIVE);
  private static final Pattern ORDER_REF =
      Pattern.compile("(?:task\\s*group|group|task)\\s*#?(\\d+)", Pattern.CASE_INSENSITIVE);

  private final List<MarkdownLine> lines;
  private final List<TaskNode> roots = new ArrayList<>();
  private final Deque<Scope> headings = new ArrayDeque<>();
  private final Deque<TaskNode> openItems = new ArrayDeque<>();
  private final List<Criterion> criteria = new ArrayList<>();
  private final Map<Integer, List<Criterion>> criteriaBySection = new LinkedHashMap<>();
  private final List<Issue> issues = new ArrayList<>();
  private final List<String> executionOrder = new ArrayList<>();
  private CriteriaBlock criteriaBlock;
  private TaskNode lastItem;
  private boolean afterBlank;

  private final boolean planFile;

  private TasksParser(List<MarkdownLine> lines, List<Issue> scanIssues, boolean planFile) {
    this.lines = lines;
    this.issues.addAll(scanIssues);
    this.planFile = planFile;
  }

  /** Reads tasks.md, or with {@code planFile} a v3 plan.md whose tasks have no boxes. */
  static Result parse(SourceLines source, boolean planFile) {
    MarkdownScanner.Scan scan = MarkdownScanner.scan(source);
    return new TasksParser(scan.lines(), scan.issues(), planFile).read();
  }

  private Result read() {
    for (int i = 0; i < lines.size(); i++) {
      MarkdownLine line = lines.get(i);
      if (line instanceof Heading heading) {
        onHeading(heading, i);
      } else if (line instanceof Blank) {
        afterBlank = true;
        continue;
      } else {
        if (criteriaBlock != null && endsCriteriaBlock(line)) {
          criteriaBlock = null;
        }
        if (scope(ScopeKind.ORDER).isPresent()) {
          collectOrder(line);
        } else if (inCriteria()) {
          collectCriterion(line);
        } else if (line instanceof Code code) {
          onCode(code);
        } else if (line instanceof Item item) {
          onItem(item);
        } else if (line instanceof Text text) {
          onText(text);
        }
      }
      afterBlank = false;
    }
    List<Task> tasks = TaskTree.build(roots, issues, planFile);
    reportIgnoredCriteria();
    issues.sort(Comparator.comparingInt(Issue::line));
    return new Result(
        tasks, List.copyOf(criteria), List.copyOf(issues), List.copyOf(executionOrder));
  }

  private void onHeading(Heading heading, int index) {
    criteriaBlock = null;
    openItems.clear();
    lastItem = null;
    while (!headings.isEmpty() && headings.peek().level() >= heading.level()) {
      headings.pop();
    }
    Optional<Scope> criteriaScope = scope(ScopeKind.CRITERIA);
    if (criteriaScope.isPresent()) {
      Scope outer = criteriaScope.get();
      headings.push(
          new Scope(
              heading.level(), ScopeKind.CRITERIA, outer.task(), outer.title(), outer.line()));
      return;
    }
    if (ORDER_HEADING.matcher(heading.text()).find()) {
      headings.push(
          new Scope(heading.level(), ScopeKind.ORDER, null, heading.text(), heading.line()));
      return;
    }
    String title = HEADING_DECORATION.matcher(heading.text()).replaceAll("");
    Checkbox checkbox = Checkbox.NONE;
    Matcher box = HEADING_BOX.matcher(title);
    if (box.matches()) {
      checkbox = box.group(1).isBlank() ? Checkbox.UNTICKED : Checkbox.TICKED;
      title = box.group(2);
    }
    TaskText text = TaskText.of(title);
    String number = text.number();
    boolean isTask = text.keyword();
    if (!isTask && CriteriaNames.isCriteriaHeading(title)) {
      headings.push(
          new Scope(
              heading.level(), ScopeKind.CRITERIA, baseTask(), heading.text(), heading.line()));
      return;
    }
    if (!isTask && text.numbered()) {
      isTask = true;
    }
    if (!isTask && heading.level() >= MIN_INFERRED_TASK_HEADING_LEVEL) {
      Optional<String> inferred = numberFromSubTasks(index);
      if (inferred.isPresent()) {
        isTask = true;
        number = inferred.get();
      }
    }
    if (!isTask) {
      headings.push(new Scope(heading.level(), ScopeKind.GROUP, null, title, heading.line()));
      return;
    }
    if (isTopLevelNumber(number)) {
      // "#### Task Group 2" after "### Task Group 1" is its sibling, whatever the levels say.
      while (headings.stream()
          .anyMatch(s -> s.kind() == ScopeKind.TASK && isTopLevelNumber(s.task().number))) {
        headings.pop();
      }
    }
    TaskNode parent = baseTask();
    TaskNode node =
        new TaskNode(heading.line(), -1, 0, true, checkbox, heading.text(), text, number, parent);
    node.section = section();
    node.dependsOn.addAll(TaskDependencies.inTitle(title));
    text.inlineNote().ifPresent(note -> node.notes.add(new TaskNode.Note(heading.line(), note)));
    attach(node, parent);
    headings.push(new Scope(heading.level(), ScopeKind.TASK, node, title, heading.line()));
    lastItem = node;
  }

  private static boolean isTopLevelNumber(String number) {
    return !number.isEmpty() && !number.contains(".");
  }

  /**
   * A heading such as "### Build the cart" whose top-level items are all ticked or unticked boxes
   * numbered 2.x is task 2: the numbers say so even though the heading does not.
   */
  private Optional<String> numberFromSubTasks(int headingIndex) {
    List<Item> items = new ArrayList<>();
    for (int i = headingIndex + 1; i < lines.size(); i++) {
      MarkdownLine line = lines.get(i);
      if (line instanceof Heading) {
        break;
      }
      if (line instanceof Item item) {
        items.add(item);
      }
    }
    int minIndent = items.stream().mapToInt(Item::indent).min().orElse(0);
    String parent = null;
    for (Item item : items) {
      if (item.indent() != minIndent) {
        continue;
      }
      Matcher number = SUB_TASK_NUMBER.matcher(TaskText.of(item.text()).number());
      if (item.checkbox() == Checkbox.NONE || !number.matches()) {
        return Optional.empty();
      }
      if (parent != null && !parent.equals(number.group(1))) {
        return Optional.empty();
      }
      parent = number.group(1);
    }
    return Optional.ofNullable(parent);
  }

  private void onItem(Item item) {
    while (!openItems.isEmpty() && openItems.peek().indent >= item.indent()) {
      openItems.pop();
    }
    TaskNode parent = openItems.isEmpty() ? baseTask() : openItems.peek();
    if (item.checkbox() == Checkbox.NONE && CriteriaNames.isCriteriaLabel(item.text())) {
      TaskNode owner = parent;
      criteriaBlock =
          new CriteriaBlock(item.indent(), true, item.text().strip(), item.line(), owner);
      if (owner != null) {
        owner.notes.add(new TaskNode.Note(item.line(), item.text().strip()));
      }
      return;
    }
    String raw = item.text().strip();
    TaskText text = TaskText.of(item.oddBox() ? ODD_BOX.matcher(raw).replaceFirst("") : raw);
    String number = text.number();
    if (number.isEmpty() && !item.orderedNumber().isEmpty()) {
      // "1." under task 2 is its first sub-task: 2.1, as a person reading it would say.
      if (parent == null) {
        number = item.orderedNumber();
      } else if (!parent.number.isEmpty()) {
        number = parent.number + "." + item.orderedNumber();
      }
    }
    TaskNode node =
        new TaskNode(
            item.line(),
            item.indent(),
            item.contentColumn(),
            false,
            item.checkbox(),
            raw,
            text,
            number,
            parent);
    text.inlineNote().ifPresent(note -> node.notes.add(new TaskNode.Note(item.line(), note)));
    node.section = section();
    node.dependsOn.addAll(TaskDependencies.inTitle(raw));
    attach(node, parent);
    openItems.push(node);
    lastItem = node;
    node.oddBox = item.oddBox();
  }

  private void onText(Text text) {
    if (CriteriaNames.isCriteriaLabel(text.text())) {
      // v2 puts "**Acceptance Criteria:**" at the margin after its group's list: still the group's.
      TaskNode owner = ownerOfText(text, false);
      if (owner == null) {
        owner = baseTask();
      }
      criteriaBlock = new CriteriaBlock(text.indent(), false, text.text(), text.line(), owner);
      if (owner != null) {
        owner.notes.add(new TaskNode.Note(text.line(), text.text()));
      }
      return;
    }
    if (CHECKPOINT.matcher(text.text()).find()) {
      // Spec Kit closes each phase with "**Checkpoint**: ...": what must hold before going on.
      criteria.add(new Criterion(text.line(), Checkbox.NONE, text.text(), section(), ""));
      return;
    }
    if (text.strayCheckbox()) {
      issues.add(
          new Issue(
              text.line(),
              "checkbox in \""
                  + text.text()
                  + "\" is not at the start of a list item, so it could not be placed; write it as"
                  + " \"- [ ] ...\" to make it a task"));
      return;
    }
    boolean warning = TaskText.isWarning(text.text());
    TaskNode owner = ownerOfText(text, warning);
    if (owner != null) {
      owner.dependsOn.addAll(TaskDependencies.onLine(text.text()));
      owner.notes.add(new TaskNode.Note(text.line(), text.text()));
    } else if (warning) {
      issues.add(
          new Issue(
              text.line(),
              "note \"" + text.text() + "\" is not under any task, so no task carries it"));
    }
  }

  private TaskNode ownerOfText(Text text, boolean warning) {
    TaskNode owner = deepestOpenItemHolding(text.indent());
    if (owner == null) {
      if (warning) {
        owner = lastItem != null ? lastItem : baseTask();
      } else if (!openItems.isEmpty() && !afterBlank) {
        owner = openItems.peek(); // a lazy continuation line, as Markdown reads it
      } else if (openItems.isEmpty()) {
        owner = baseTask();
      }
    }
    return owner;
  }

  /**
   * A code block belongs to the item it is indented under; one at the margin to the item just above
   * it (people put a task's example there), else to the heading task.
   */
  private void onCode(Code code) {
    TaskNode owner = deepestOpenItemHolding(code.indent());
    if (owner == null) {
      owner = lastItem != null ? lastItem : baseTask();
    }
    if (owner != null) {
      String text = code.text();
      int cut = Math.min(code.indent(), MarkdownScanner.leadingWhitespace(text).length());
      owner.notes.add(new TaskNode.Note(code.line(), text.substring(cut).stripTrailing()));
    }
  }

  private void collectOrder(MarkdownLine line) {
    String text;
    if (line instanceof Item item) {
      text = item.text();
    } else if (line instanceof Text plain) {
      text = plain.text();
    } else {
      return;
    }
    Matcher ref = ORDER_REF.matcher(text);
    while (ref.find()) {
      if (!executionOrder.contains(ref.group(1))) {
        executionOrder.add(ref.group(1));
      }
    }
  }

  /** The outermost heading below the title that groups tasks: a phase, a layer, "Tasks". */
  private String section() {
    String section = "";
    for (Scope scope : headings) {
      if (scope.kind() == ScopeKind.GROUP && scope.level() >= 2) {
        section = scope.title();
      }
    }
    return section;
  }

  private TaskNode deepestOpenItemHolding(int indent) {
    for (TaskNode node : openItems) {
      if (node.contentColumn <= indent) {
        return node;
      }
    }
    return null;
  }

  private boolean endsCriteriaBlock(MarkdownLine line) {
    if (line instanceof Item item) {
      return criteriaBlock.fromItem()
          ? item.indent() <= criteriaBlock.indent()
          : item.indent() < criteriaBlock.indent();
    }
    return line instanceof Text text && text.indent() <= criteriaBlock.indent();
  }

  private boolean inCriteria() {
    return criteriaBlock != null || scope(ScopeKind.CRITERIA).isPresent();
  }

  private void collectCriterion(MarkdownLine line) {
    String section;
    int sectionLine;
    TaskNode owner;
    if (criteriaBlock != null) {
      section = criteriaBlock.title();
      sectionLine = criteriaBlock.line();
      owner = criteriaBlock.owner();
    } else {
      Scope scope = scope(ScopeKind.CRITERIA).orElseThrow();
      section = scope.title();
      sectionLine = scope.line();
      owner = scope.task();
    }
    if (owner != null && !(line instanceof Heading)) {
      // The task's own criteria are part of its block: the agent doing it should see them.
      String text = line instanceof Code code ? code.text().stripTrailing() : textOf(line);
      owner.notes.add(new TaskNode.Note(line.line(), text));
    }
    if (!(line instanceof Item item)) {
      return;
    }
    String task = owner == null ? "" : owner.number.isEmpty() ? owner.text.title() : owner.number;
    Criterion criterion =
        new Criterion(item.line(), item.checkbox(), item.text().strip(), section, task);
    criteria.add(criterion);
    if (item.checkbox() != Checkbox.NONE) {
      criteriaBySection.computeIfAbsent(sectionLine, l -> new ArrayList<>()).add(criterion);
    }
  }

  private static String textOf(MarkdownLine line) {
    if (line instanceof Item item) {
      return item.leading() + "- " + boxOf(item.checkbox()) + item.text().strip();
    }
    return line instanceof Text text ? text.text() : "";
  }

  private static String boxOf(Checkbox checkbox) {
    return checkbox == Checkbox.NONE ? "" : checkbox == Checkbox.TICKED ? "[x] " : "[ ] ";
  }

  private Optional<Scope> scope(ScopeKind kind) {
    return headings.stream().filter(s -> s.kind() == kind).findFirst();
  }

  private TaskNode baseTask() {
    return scope(ScopeKind.TASK).map(Scope::task).orElse(null);
  }

  private void attach(TaskNode node, TaskNode parent) {
    (parent == null ? roots : parent.children).add(node);
  }

  private void reportIgnoredCriteria() {
    criteriaBySection.forEach(
        (line, items) -> {
          String section = items.get(0).section();
          String span =
              items.size() == 1
                  ? "line " + items.get(0).line()
                  : "lines " + items.get(0).line() + "-" + items.get(items.size() - 1).line();
          issues.add(
              new Issue(
                  line,
                  "ignored "
                      + items.size()
                      + (items.size() == 1 ? " checkbox" : " checkboxes")
                      + " under \""
                      + section
                      + "\" ("
                      + span
                      + "): criteria to verify, not tasks"));
        });
  }
}
