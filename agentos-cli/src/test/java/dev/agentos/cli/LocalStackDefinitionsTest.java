package dev.agentos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The local stack says what runs when it starts the services, never in a submit. */
class LocalStackDefinitionsTest {

  @Test
  void profileAndCheckFlagsBecomeServiceProperties() {
    Map<String, String> profiles = new LinkedHashMap<>();
    profiles.put("claude", "claude -p");

    Map<String, String> properties =
        UpCommand.definitions(profiles, Map.of("tests", "mvn -q test"));

    assertEquals(
        Map.of(
            "agentos.profiles.claude.backend", "command",
            "agentos.profiles.claude.command", "claude -p",
            "agentos.checks.tests.run", "mvn -q test"),
        properties);
    assertEquals(Map.of(), UpCommand.definitions(null, null));
  }

  @Test
  void everyStackOffersTheDemoProfileAndCheck() {
    Map<String, String> demo = LocalStack.demoDefinitions(Path.of("/repo"));

    assertEquals(
        "bash /repo/" + DemoCommand.EXAMPLE_AGENT,
        demo.get("agentos.profiles." + LocalStack.DEMO_PROFILE + ".command"));
    assertEquals("test -s NOTES.md", demo.get("agentos.checks." + LocalStack.DEMO_CHECK + ".run"));
  }
}
