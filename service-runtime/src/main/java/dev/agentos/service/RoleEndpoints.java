package dev.agentos.service;

import dev.agentos.api.JsonEndpoints;

/**
 * A role's own request/reply endpoints ({@code agentos.<role>.*}). They join the role's micro
 * service ({@code agentos-<role>}, next to its {@code status} endpoint), started with the service.
 */
public interface RoleEndpoints {
  void addTo(JsonEndpoints endpoints);
}
