package dev.agentos.knowledge;

import java.time.LocalDate;

/**
 * One entry of a project's decision log, in the Agent OS decisions.md shape; stored under {@code
 * <project>.<id>} in the {@code agentos-decisions} bucket.
 */
public record DecisionRecord(
    String id, String title, String context, String decision, LocalDate date, String source) {}
