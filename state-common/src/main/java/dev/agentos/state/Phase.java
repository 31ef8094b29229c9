package dev.agentos.state;

import java.util.Arrays;
import java.util.List;

/** The four PEER phases, each owned by one role service. */
public enum Phase {
  PLAN("plan", "planner", Status.PLANNING),
  EXECUTE("execute", "executor", Status.EXECUTING),
  EXPRESS("express", "express", Status.EXPRESSING),
  REVIEW("review", "review", Status.REVIEWING);

  private final String token;
  private final String role;
  private final Status runningStatus;

  Phase(String token, String role, Status runningStatus) {
    this.token = token;
    this.role = role;
    this.runningStatus = runningStatus;
  }

  /** The lower-case token used in subjects: {@code agentos.work.<token>}. */
  public String token() {
    return token;
  }

  /** The role that owns the phase; also the name of its durable consumer. */
  public String role() {
    return role;
  }

  public Status runningStatus() {
    return runningStatus;
  }

  public Phase next() {
    return this == REVIEW ? PLAN : values()[ordinal() + 1];
  }

  /**
   * The role names in phase order: {@code planner}, {@code executor}, {@code express}, {@code
   * review}. Also the names of the role services ({@code <role>-service}) and their consumers.
   */
  public static List<String> roles() {
    return ROLES;
  }

  public static Phase ofRole(String role) {
    for (Phase phase : values()) {
      if (phase.role.equals(role)) {
        return phase;
      }
    }
    throw new IllegalArgumentException(
        "unknown role '" + role + "'; roles are " + String.join(", ", ROLES));
  }

  private static final List<String> ROLES = Arrays.stream(values()).map(Phase::role).toList();
}
