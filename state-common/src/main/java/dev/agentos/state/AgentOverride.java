package dev.agentos.state;

import java.util.List;

/**
 * A cycle's choice of agent for one role. It never holds a secret: API keys come from the service's
 * configuration only.
 */
public record AgentOverride(String backend, String model, String baseUrl, List<String> command) {}
