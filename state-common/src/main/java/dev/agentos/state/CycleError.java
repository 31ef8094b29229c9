package dev.agentos.state;

import dev.agentos.error.ErrorCode;

/** Why a cycle FAILED, and in which phase. */
public record CycleError(Phase phase, ErrorCode code, String message) {}
