package dev.agentos.checks;

import java.time.Duration;

/**
 * A check Review may run: a name a submit can give, the shell line it stands for, and where that
 * line came from. Only the operator's configuration and the workspace's committed configuration
 * define checks; a submit only names them.
 *
 * @param name how a submit names it ({@code options.verify: ["tests"]})
 * @param run the shell line, run with {@code bash -c} in the workspace
 * @param timeout how long it may run, or null for Review's default
 * @param source where it is defined: {@code agentos.checks.<name>} or {@link WorkspaceChecks#FILE}
 */
public record NamedCheck(String name, String run, Duration timeout, String source) {}
