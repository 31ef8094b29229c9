package dev.agentos.git;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * How the service authenticates to git remotes, from its own configuration (a Kubernetes Secret on
 * a cluster): an HTTPS token, or an SSH key with the known hosts to trust. Handed to git as
 * environment variables of its process only — never on a command line, in a repository's config, in
 * the state, an event or a log.
 *
 * @param token an HTTPS token (sent as basic auth, user {@code x-access-token}), or null
 * @param sshKey a private key file for SSH remotes, or null
 * @param knownHosts the known_hosts file SSH checks host keys against, or null for ssh's default
 */
public record GitCredentials(String token, Path sshKey, Path knownHosts) {
  public static GitCredentials none() {
    return new GitCredentials(null, null, null);
  }

  /** The variables git runs with; {@code connectTimeout} bounds an SSH connect. */
  Map<String, String> environment(Duration connectTimeout) {
    Map<String, String> env = new HashMap<>();
    if (token != null && !token.isBlank()) {
      String basic =
          Base64.getEncoder()
              .encodeToString(("x-access-token:" + token).getBytes(StandardCharsets.UTF_8));
      env.put("GIT_CONFIG_COUNT", "1");
      env.put("GIT_CONFIG_KEY_0", "http.extraHeader");
      env.put("GIT_CONFIG_VALUE_0", "Authorization: Basic " + basic);
    }
    StringBuilder ssh =
        new StringBuilder("ssh -o BatchMode=yes -o ConnectTimeout=")
            .append(Math.max(1, connectTimeout.toSeconds()));
    if (sshKey != null) {
      ssh.append(" -o IdentitiesOnly=yes -i '").append(sshKey).append('\'');
    }
    if (knownHosts != null) {
      ssh.append(" -o StrictHostKeyChecking=yes -o UserKnownHostsFile='")
          .append(knownHosts)
          .append('\'');
    }
    env.put("GIT_SSH_COMMAND", ssh.toString());
    return env;
  }

  @Override
  public String toString() {
    return "GitCredentials[token="
        + (token == null || token.isBlank() ? "none" : "***")
        + ", sshKey="
        + sshKey
        + ", knownHosts="
        + knownHosts
        + "]";
  }
}
