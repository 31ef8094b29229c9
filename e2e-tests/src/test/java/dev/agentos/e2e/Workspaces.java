package dev.agentos.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Temp workspaces with an Agent OS spec folder, as a team's repository would have. */
final class Workspaces {
  static final String SPEC = ".agent-os/specs/2026-11-20-cart";

  private Workspaces() {}

  /** A git repository with a spec whose tasks.md has {@code tasks} unticked parent tasks. */
  static Path withSpec(int tasks) throws Exception {
    Path dir = Files.createTempDirectory("agentos-ws-");
    Path spec = dir.resolve(SPEC);
    Files.createDirectories(spec);
    Files.writeString(
        spec.resolve("spec.md"), "# Spec: Shopping cart\n\nCustomers keep items in a cart.\n");
    StringBuilder md = new StringBuilder("# Spec Tasks\n\n## Tasks\n\n");
    for (int i = 1; i <= tasks; i++) {
      md.append("- [ ] ").append(i).append(". Task number ").append(i).append('\n');
      md.append("  - [ ] ").append(i).append(".1 Write the tests\n");
      md.append("  - [ ] ").append(i).append(".2 Make them pass\n");
    }
    Files.writeString(spec.resolve("tasks.md"), md.toString());
    git(dir, "init", "-q");
    git(dir, "add", "-A");
    git(dir, "-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qm", "spec");
    return dir;
  }

  /** A git repository holding {@code files} (path in the workspace to content), committed. */
  static Path withFiles(Map<String, String> files) throws Exception {
    Path dir = Files.createTempDirectory("agentos-ws-");
    for (Map.Entry<String, String> file : files.entrySet()) {
      Path path = dir.resolve(file.getKey());
      Files.createDirectories(path.getParent());
      Files.writeString(path, file.getValue());
    }
    git(dir, "init", "-q");
    git(dir, "add", "-A");
    git(dir, "-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qm", "spec");
    return dir;
  }

  /** The agent calls the recording agent logged in the workspace: "cycle step attempt event". */
  static List<String> agentCalls(Path workspace) throws IOException {
    Path log = workspace.resolve(".agent-calls.log");
    return Files.exists(log) ? Files.readAllLines(log) : List.of();
  }

  static String submit(Path workspace, String extraOptions) {
    return "{\"project\":\"shop\",\"instruction\":\"execute-tasks\",\"workspace\":{\"path\":\""
        + workspace
        + "\"},\"spec\":\""
        + SPEC
        + "\""
        + (extraOptions == null ? "" : ",\"options\":" + extraOptions)
        + "}";
  }

  private static void git(Path dir, String... args) throws Exception {
    String[] command = new String[args.length + 1];
    command[0] = "git";
    System.arraycopy(args, 0, command, 1, args.length);
    Process p = new ProcessBuilder(command).directory(dir.toFile()).inheritIO().start();
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("git " + String.join(" ", args) + " failed in " + dir);
    }
  }
}
