package dev.agentos.git;

import dev.agentos.error.AgentOsException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The one rule for which git remotes a cycle may use: the URL must start with a prefix the operator
 * allows ({@code agentos.workspace.git.allowed-remotes}, and those a project adds), at a path
 * boundary, and carry no credentials and nothing a URL parser could move elsewhere ({@code ..}
 * segments, escapes). Credentials are the service's, never the submitter's.
 */
public final class AllowedRemotes {
  private static final int MAX_URL = 2048;
  private static final Pattern SCHEME_USERINFO = Pattern.compile("^[a-z][a-z0-9+.-]*://[^/]*@.*");

  private final List<String> prefixes;
  private final Function<String, List<String>> projectPrefixes;

  /**
   * @param prefixes URL prefixes every project may use
   * @param projectPrefixes those a project adds (from the project registry); none by default
   */
  public AllowedRemotes(List<String> prefixes, Function<String, List<String>> projectPrefixes) {
    this.prefixes = List.copyOf(prefixes);
    this.projectPrefixes = projectPrefixes;
  }

  /** From the comma-separated configuration value; blank entries are skipped. */
  public static AllowedRemotes parse(String commaSeparated) {
    List<String> prefixes = new ArrayList<>();
    if (commaSeparated != null) {
      for (String prefix : commaSeparated.split(",")) {
        if (!prefix.isBlank()) {
          prefixes.add(prefix.strip());
        }
      }
    }
    return new AllowedRemotes(prefixes, project -> List.of());
  }

  public static AllowedRemotes none() {
    return new AllowedRemotes(List.of(), project -> List.of());
  }

  /** Throws INVALID_REQUEST saying why, unless {@code project} may work on {@code url}. */
  public void require(String project, String url) {
    requireWellFormed(url);
    List<String> allowed = new ArrayList<>(prefixes);
    allowed.addAll(projectPrefixes.apply(project));
    if (allowed.isEmpty()) {
      throw AgentOsException.invalid(
          "workspace.git is off here: the operator allows no git remote"
              + " (agentos.workspace.git.allowed-remotes); give workspace.path instead");
    }
    for (String prefix : allowed) {
      if (matches(prefix, url)) {
        return;
      }
    }
    throw AgentOsException.invalid(
        "workspace.git.url '"
            + url
            + "' is not an allowed remote; allowed are URLs under: "
            + String.join(", ", allowed));
  }

  static boolean matches(String prefix, String url) {
    if (!url.startsWith(prefix)) {
      return false;
    }
    if (url.length() == prefix.length() || prefix.endsWith("/") || prefix.endsWith(":")) {
      return true;
    }
    char next = url.charAt(prefix.length());
    return next == '/' || url.substring(prefix.length()).equals(".git");
  }

  private static void requireWellFormed(String url) {
    if (url == null || url.isBlank()) {
      throw AgentOsException.invalid(
          "workspace.git.url is required: the repository to work on, e.g."
              + " https://git.example/team/shop.git");
    }
    if (url.length() > MAX_URL) {
      throw AgentOsException.invalid(
          "workspace.git.url is longer than " + MAX_URL + " characters; give a shorter URL");
    }
    for (int i = 0; i < url.length(); i++) {
      char c = url.charAt(i);
      if (c <= ' ' || c == 0x7f || c == '\\' || c == '%') {
        throw AgentOsException.invalid(
            "workspace.git.url may not contain spaces, control characters, '\\\\' or '%'"
                + " escapes; give the plain URL");
      }
    }
    if (url.startsWith("-") || url.toLowerCase(Locale.ROOT).startsWith("ext::")) {
      throw AgentOsException.invalid(
          "workspace.git.url '" + url + "' is not a repository URL git may fetch from");
    }
    if (SCHEME_USERINFO.matcher(url.toLowerCase(Locale.ROOT)).matches()
        && url.substring(0, url.indexOf('@')).substring(url.indexOf("://") + 3).contains(":")) {
      throw AgentOsException.invalid(
          "workspace.git.url carries a password; credentials come from the service's"
              + " configuration, never from a submit: give the URL without them");
    }
    if (url.toLowerCase(Locale.ROOT).matches("^https?://[^/]*@.*")) {
      throw AgentOsException.invalid(
          "workspace.git.url carries a user name or token; credentials come from the service's"
              + " configuration, never from a submit: give the URL without them");
    }
    for (String segment : url.split("[/:]")) {
      if (segment.equals("..") || segment.equals(".")) {
        throw AgentOsException.invalid(
            "workspace.git.url '"
                + url
                + "' contains a '"
                + segment
                + "' segment; give it without");
      }
    }
  }
}
