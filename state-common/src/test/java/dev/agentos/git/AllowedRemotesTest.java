package dev.agentos.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.agentos.error.AgentOsException;
import dev.agentos.error.ErrorCode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AllowedRemotesTest {
  private final AllowedRemotes remotes =
      AllowedRemotes.parse(
          " https://git.example/team/ , git@git.example:team,git://127.0.0.1:9418");

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://git.example/team/shop.git",
        "git@git.example:team/shop.git",
        "git://127.0.0.1:9418/shop.git"
      })
  void acceptsAUrlUnderAnAllowedPrefix(String url) {
    remotes.require("shop", url);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "https://git.example/team-other/shop.git", // a prefix match that is not a path boundary
        "https://git.example/teams/shop.git",
        "git@git.example:teamx/shop.git",
        "git://127.0.0.1:94180/shop.git",
        "https://git.example/team/../other/shop.git",
        "https://git.example/team/%2e%2e/other/shop.git",
        "https://token@git.example/team/shop.git",
        "https://user:secret@git.example/team/shop.git",
        "ext::sh -c touch% /tmp/pwned",
        "--upload-pack=touch /tmp/pwned",
        "https://git.example/team/shop.git\nx",
        "file:///srv/git/shop.git"
      })
  void refusesAnythingElse(String url) {
    AgentOsException e = assertThrows(AgentOsException.class, () -> remotes.require("shop", url));
    assertEquals(ErrorCode.INVALID_REQUEST, e.code());
  }

  @Test
  void credentialsInTheUrlAreRefusedWithTheReason() {
    AgentOsException e =
        assertThrows(
            AgentOsException.class,
            () -> remotes.require("shop", "https://user:secret@git.example/team/shop.git"));
    assertTrue(e.getMessage().contains("credentials come from the service's configuration"));
  }

  @Test
  void noConfiguredRemoteTurnsGitWorkspacesOff() {
    AgentOsException e =
        assertThrows(
            AgentOsException.class,
            () -> AllowedRemotes.none().require("shop", "https://git.example/team/shop.git"));
    assertTrue(e.getMessage().contains("agentos.workspace.git.allowed-remotes"), e.getMessage());
  }

  @Test
  void aProjectMayAddItsOwnRemotes() {
    AllowedRemotes withProjects =
        new AllowedRemotes(
            List.of(),
            project -> project.equals("shop") ? List.of("https://git.example/shop/") : List.of());
    withProjects.require("shop", "https://git.example/shop/app.git");
    assertThrows(
        AgentOsException.class,
        () -> withProjects.require("blog", "https://git.example/shop/app.git"));
  }
}
