package dev.agentos.process;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What makes a git run safe to start from a service: no prompts, hooks or outside config. */
final class GitSafety {
  /** Hooks and fsmonitor would run programs the repository names; ext:: would run any command. */
  static final List<String> PREFIX =
      List.of(
          "git",
          "-c",
          "core.hooksPath=/dev/null",
          "-c",
          "core.fsmonitor=false",
          "-c",
          "protocol.ext.allow=never");

  private GitSafety() {}

  static Map<String, String> environment(Set<String> allowed) {
    Map<String, String> env = new HashMap<>();
    env.put("GIT_TERMINAL_PROMPT", "0");
    env.put("GIT_CONFIG_NOSYSTEM", "1");
    env.put("GIT_CONFIG_GLOBAL", "/dev/null");
    if (!allowed.contains("GIT_SSH_COMMAND")) {
      // ssh would otherwise ask on the terminal for a passphrase or a host key.
      env.put("GIT_SSH_COMMAND", "ssh -o BatchMode=yes");
    }
    return env;
  }
}
