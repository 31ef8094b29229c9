package dev.agentos.service;

import dev.agentos.api.JsonEndpoints;

/** A role's own request/reply endpoints ({@code agentos.<role>.*}), started with the service. */
public interface RoleEndpoints {
  JsonEndpoints endpoints();
}
