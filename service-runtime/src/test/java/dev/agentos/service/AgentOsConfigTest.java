package dev.agentos.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.agent.AgentSettings;
import dev.agentos.agent.CommandBackend;
import dev.agentos.nats.LongLivedConnection;
import dev.agentos.nats.NatsAuth;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The backend and the prompt mode are closed sets: a typo fails start-up, naming what is allowed.
 */
class AgentOsConfigTest {

  private static AgentOsConfig load(Map<String, String> properties) {
    SmallRyeConfig config =
        new SmallRyeConfigBuilder()
            .withMapping(AgentOsConfig.class)
            // Quarkus reads "10m" as ten minutes; plain SmallRye only knows ISO-8601.
            .withConverter(Duration.class, 200, new DurationConverter())
            .withSources(new PropertiesConfigSource(properties, "test", 500))
            .build();
    return config.getConfigMapping(AgentOsConfig.class);
  }

  @Test
  void readsProfilesWithTheirBackendPromptModeEnvironmentAndPrice() {
    AgentOsConfig config =
        load(
            Map.of(
                "agentos.profiles.claude.backend", "command",
                "agentos.profiles.claude.command", "claude -p",
                "agentos.profiles.claude.prompt-mode", "argument",
                "agentos.profiles.claude.env", "ANTHROPIC_API_KEY,HOME",
                "agentos.profiles.gpt.backend", "openai",
                "agentos.profiles.gpt.model", "gpt-4.1",
                "agentos.profiles.gpt.price", "2/8",
                "agentos.agents.review.backend", "OLLAMA"));

    AgentOsConfig.Profile claude = config.profiles().get("claude");
    assertEquals(AgentSettings.Backend.COMMAND, claude.backend());
    assertEquals(CommandBackend.PromptMode.ARGUMENT, claude.promptMode());
    assertEquals(List.of("ANTHROPIC_API_KEY", "HOME"), claude.env().orElseThrow());
    assertEquals(AgentSettings.Backend.OPENAI, config.profiles().get("gpt").backend());
    assertEquals("2/8", config.profiles().get("gpt").price().orElseThrow());
    assertEquals(AgentSettings.Backend.OLLAMA, config.agents().get("review").backend());
    assertEquals(CommandBackend.PromptMode.STDIN, config.agents().get("review").promptMode());
  }

  @Test
  void readsCliPresetsWithTheirToolOptions() {
    AgentOsConfig config =
        load(
            Map.of(
                "agentos.profiles.claude.backend", "claude-code",
                "agentos.profiles.claude.permission-mode", "acceptEdits",
                "agentos.profiles.claude.allowed-tools", "Read,Edit,Bash(git diff:*)",
                "agentos.profiles.claude.max-turns", "20",
                "agentos.profiles.codex.backend", "codex",
                "agentos.profiles.codex.sandbox", "workspace-write",
                "agentos.profiles.gemini.backend", "gemini-cli",
                "agentos.profiles.aider.backend", "aider",
                "agentos.process.scratch-dir", "/var/tmp/agentos"));

    AgentOsConfig.Profile claude = config.profiles().get("claude");
    assertEquals(AgentSettings.Backend.CLAUDE_CODE, claude.backend());
    assertEquals("acceptEdits", claude.permissionMode().orElseThrow());
    assertEquals(List.of("Read", "Edit", "Bash(git diff:*)"), claude.allowedTools().orElseThrow());
    assertEquals(20, claude.maxTurns().orElseThrow());
    assertEquals(AgentSettings.Backend.CODEX, config.profiles().get("codex").backend());
    assertEquals("workspace-write", config.profiles().get("codex").sandbox().orElseThrow());
    assertEquals(AgentSettings.Backend.GEMINI_CLI, config.profiles().get("gemini").backend());
    assertEquals(AgentSettings.Backend.AIDER, config.profiles().get("aider").backend());
    assertEquals("/var/tmp/agentos", config.process().scratchDir().orElseThrow());
  }

  @Test
  void anUnknownBackendFailsStartUpWithTheAllowedValues() {
    RuntimeException e =
        assertThrows(
            RuntimeException.class,
            () -> load(Map.of("agentos.agents.executor.backend", "openia")));

    String message = messages(e);
    assertTrue(message.contains("openia"), message);
    assertTrue(message.contains("command") && message.contains("anthropic"), message);
  }

  @Test
  void anUnknownPromptModeFailsStartUpInsteadOfBecomingStdin() {
    RuntimeException e =
        assertThrows(
            RuntimeException.class, () -> load(Map.of("agentos.profiles.x.prompt-mode", "args")));

    String message = messages(e);
    assertTrue(message.contains("args"), message);
    assertTrue(message.contains("argument"), message);
  }

  private static String messages(Throwable e) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      all.append(t.getMessage()).append('\n');
      for (Throwable s : t.getSuppressed()) {
        all.append(s.getMessage()).append('\n');
      }
    }
    return all.toString();
  }

  @Test
  void readsTheNatsConnectionKeysEveryProcessSharesWithTheServicesDefaults() {
    AgentOsConfig.Nats defaults = load(Map.of()).nats();
    assertEquals(List.of("nats://127.0.0.1:4222"), defaults.servers());
    assertEquals(Duration.ofSeconds(2), defaults.connectTimeout());
    assertEquals(NatsAuth.none(), LongLivedConnection.auth(defaults));

    AgentOsConfig.Nats set =
        load(Map.of(
                "agentos.nats.servers", "nats://a:4222,nats://b:4222",
                "agentos.nats.user", "planner",
                "agentos.nats.password", "pw",
                "agentos.nats.nkey-file", "/run/secrets/planner.nk",
                "agentos.nats.tls-ca", "/etc/nats/ca.pem",
                "agentos.nats.connect-timeout", "3s",
                "agentos.nats.replicas", "3"))
            .nats();
    assertEquals(List.of("nats://a:4222", "nats://b:4222"), set.servers());
    assertEquals(Duration.ofSeconds(3), set.connectTimeout());
    assertEquals(3, set.replicas());
    NatsAuth auth = LongLivedConnection.auth(set);
    assertEquals("planner", auth.user());
    assertEquals("pw", auth.password());
    assertEquals(Path.of("/run/secrets/planner.nk"), auth.nkeyFile());
    assertEquals(Path.of("/etc/nats/ca.pem"), auth.tlsCa());
  }
}
