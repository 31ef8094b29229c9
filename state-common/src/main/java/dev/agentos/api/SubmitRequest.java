package dev.agentos.api;

import dev.agentos.state.Workspace;

/**
 * A task to run as a PEER cycle: a spec folder inside a workspace, or a free-form goal. Read
 * strictly: an unknown field is an error, not something silently ignored.
 *
 * @param cycleId optional: a caller-chosen id, which makes a repeated submit harmless
 */
public record SubmitRequest(
    String project,
    String instruction,
    String goal,
    String spec,
    Workspace workspace,
    SubmitOptions options,
    String cycleId) {}
