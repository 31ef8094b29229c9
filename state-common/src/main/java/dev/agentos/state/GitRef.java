package dev.agentos.state;

public record GitRef(String url, String ref) {}
