package dev.agentos.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.agent.AgentProfile;
import dev.agentos.agent.cli.AgentMcp;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A model that cannot call tools ({@code tools.calling=false}) cannot be the executor: the refusal
 * names the profile and what to use instead. The other roles may use it with their prompt only.
 */
class ToolCallingProfilesTest {
  private static final Map<String, String> PROFILES =
      Map.of(
          "agentos.profiles.local.backend", "ollama",
          "agentos.profiles.local.model", "tiny",
          "agentos.profiles.local.tools.calling", "false",
          "agentos.profiles.coder.backend", "openai",
          "agentos.profiles.coder.model", "gpt-test",
          "agentos.profiles.coder.base-url", "http://127.0.0.1:9/v1",
          "agentos.profiles.coder.tools.run", "mvn -q test,npm test",
          "agentos.profiles.coder.tools.max-turns", "12");

  @Test
  void aProfileThatCannotCallToolsIsRefusedForTheExecutorOnly() {
    Agents agents = agents(PROFILES);

    Optional<String> refused = agents.toolless("shop", Map.of("executor", "local"));

    assertTrue(refused.isPresent());
    assertTrue(refused.get().contains("agent profile 'local'"), refused.get());
    assertTrue(refused.get().contains("agentos.profiles.local.tools.calling=false"), refused.get());
    assertTrue(refused.get().contains("a CLI agent profile"), refused.get());
    assertEquals(Optional.empty(), agents.toolless("shop", Map.of("planner", "local")));
    assertEquals(Optional.empty(), agents.toolless("shop", Map.of("executor", "coder")));
  }

  @Test
  void aRolesOwnAgentThatCannotCallToolsIsRefusedWhateverTheSubmitChooses() {
    Map<String, String> properties = new HashMap<>(PROFILES);
    properties.put("agentos.agents.executor.profile", "local");

    Optional<String> refused = agents(properties).toolless("", Map.of());

    assertTrue(refused.isPresent());
    assertTrue(refused.get().contains("(agentos.agents.executor.profile)"), refused.get());
  }

  @Test
  void readsTheToolSettingsOfAProfile() {
    AgentOsConfig config = load(PROFILES);

    ToolsConfig tools = config.profiles().get("coder").tools();
    assertEquals(List.of("mvn -q test", "npm test"), tools.run().orElseThrow());
    assertEquals(12, tools.maxTurns());
    assertTrue(tools.calling());
    assertEquals(Duration.ofMinutes(30), tools.maxTime());
  }

  @Test
  void aCliProfileWithMcpGetsAgentosMcpAgentFromTheConfiguredLauncher() {
    Map<String, String> properties = new HashMap<>(PROFILES);
    properties.put("agentos.profiles.claude.backend", "claude-code");
    properties.put("agentos.profiles.claude.mcp", "true");
    properties.put("agentos.profiles.plain.backend", "claude-code");
    properties.put("agentos.process.mcp-command", "/opt/agentos/bin/agentos");

    Map<String, AgentProfile> profiles = agents(properties).profiles();

    AgentMcp mcp = profiles.get("claude").settings().cli().mcp();
    assertEquals(
        List.of("/opt/agentos/bin/agentos", "mcp", "--agent"), mcp.command(), mcp.toString());
    assertEquals(AgentMcp.OFF, profiles.get("plain").settings().cli().mcp());
  }

  private static Agents agents(Map<String, String> properties) {
    Agents agents = new Agents();
    agents.config = load(properties);
    return agents;
  }

  private static AgentOsConfig load(Map<String, String> properties) {
    SmallRyeConfig config =
        new SmallRyeConfigBuilder()
            .withMapping(AgentOsConfig.class)
            .withConverter(Duration.class, 200, new DurationConverter())
            .withSources(new PropertiesConfigSource(properties, "test", 500))
            .build();
    return config.getConfigMapping(AgentOsConfig.class);
  }
}
