package dev.agentos.api;

/**
 * Who sent a request, as the NATS server says: a request on {@code agentos.api.<endpoint>} comes
 * from the operator's own account (or a single-user setup without accounts), one on {@code
 * agentos.team.<team>.api.<endpoint>} from the team's account, whose import maps its {@code
 * agentos.api.>} there. Nothing in the request body can change it.
 *
 * @param team null for the operator
 */
public record Caller(String team) {
  public static final Caller OPERATOR = new Caller(null);

  public static Caller team(String team) {
    return new Caller(team);
  }

  public boolean isOperator() {
    return team == null;
  }
}
