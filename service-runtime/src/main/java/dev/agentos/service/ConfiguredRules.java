package dev.agentos.service;

import dev.agentos.api.OperatorRules;
import dev.agentos.checks.CheckCatalog;
import dev.agentos.checks.NamedCheck;
import dev.agentos.git.AllowedRemotes;
import dev.agentos.state.Budget;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What this service's configuration lets a submit choose: the profiles, the named checks, and the
 * budget ceiling ({@code agentos.budget.ceiling.*}, else the default limits themselves).
 */
@ApplicationScoped
public class ConfiguredRules implements OperatorRules {
  @Inject AgentOsConfig config;
  @Inject Agents agents;

  private volatile CheckCatalog checks;

  @Override
  public List<String> profiles(String project) {
    return agents.profileNames(project);
  }

  @Override
  public List<String> checks(String project, Path workspace) {
    return checkCatalog().names(project, workspace);
  }

  @Override
  public AllowedRemotes remotes() {
    return AllowedRemotes.parse(config.workspace().git().allowedRemotes().orElse(""));
  }

  @Override
  public boolean fastForwardAllowed() {
    return config.workspace().git().fastForwardAllowed();
  }

  @Override
  public Budget ceiling(String project) {
    AgentOsConfig.Budget budget = config.budget();
    AgentOsConfig.Limits top = budget.ceiling();
    return new Budget(
        top.tokens().or(budget::tokens).orElse(null),
        top.costUsd().or(budget::costUsd).orElse(null),
        top.wallSeconds().or(budget::wallSeconds).orElse(null));
  }

  /** The limits of a cycle whose submit names none. */
  public Budget defaults() {
    AgentOsConfig.Budget limits = config.budget();
    return new Budget(
        limits.tokens().orElse(null),
        limits.costUsd().orElse(null),
        limits.wallSeconds().orElse(null));
  }

  @Override
  public Optional<String> unpriced(String project, Map<String, String> profiles) {
    return agents.unpriced(project, profiles);
  }

  @Override
  public Optional<String> toolless(String project, Map<String, String> profiles) {
    return agents.toolless(project, profiles);
  }

  /** The operator's named checks; a check with no run line fails start-up. */
  public CheckCatalog checkCatalog() {
    CheckCatalog known = checks;
    if (known == null) {
      Map<String, CheckCatalog.Configured> configured = new TreeMap<>();
      config
          .checks()
          .forEach(
              (name, c) ->
                  configured.put(
                      name,
                      new CheckCatalog.Configured(
                          new NamedCheck(
                              name, c.run(), c.timeout().orElse(null), "agentos.checks." + name),
                          new HashSet<>(c.projects().orElse(List.of())))));
      checks = known = new CheckCatalog(configured);
    }
    return known;
  }
}
