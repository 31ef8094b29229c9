package dev.agentos.state;

/** A large thing kept in the {@code agentos-artifacts} object store instead of in state. */
public record ArtifactRef(String artifact, long size, String sha256) {}
