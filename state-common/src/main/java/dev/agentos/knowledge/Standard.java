package dev.agentos.knowledge;

/**
 * A standards document shared by a team, under {@code <scope>.<name>} in the {@code
 * agentos-standards} bucket. The scope is a project, or {@code team} for every project.
 */
public record Standard(String scope, String name, String content) {
  public static final String TEAM_SCOPE = "team";
}
