package dev.agentos.state;

public enum Verdict {
  PASS,
  REVISE,
  FAIL
}
