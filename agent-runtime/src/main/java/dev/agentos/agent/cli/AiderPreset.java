package dev.agentos.agent.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * aider, scripted: {@code aider --message-file <prompt> --yes-always}, plain output ({@code
 * --no-pretty --no-stream}); Agent OS commits the workspace itself ({@code --no-auto-commits}).
 *
 * <p>aider has no machine-readable output; after each model call it prints a line {@code Tokens:
 * 2.1k sent, 1.0k cache write, 3.5k cache hit, 171 received. Cost: $0.0087 message, $0.0213
 * session.} (token counts with a k or M suffix), and at its start {@code Model: <name> with
 * <format> edit format} ("Main model:" in newer versions). Documented at
 * https://aider.chat/docs/scripting.html ({@code --message}, {@code --message-file}, {@code
 * --yes-always}) and https://aider.chat/docs/config/options.html. It cannot be resumed by a session
 * id: an interrupted step starts again fresh, with the step's notes.
 */
public final class AiderPreset implements CliPreset {
  private static final Pattern TOKENS =
      Pattern.compile("^\\W*Tokens:\\s*(.*?)\\.\\s*Cost:\\s*(.*)$");
  private static final Pattern COUNT =
      Pattern.compile("([0-9]+(?:\\.[0-9]+)?)([kKmM]?)\\s+(sent|received|cache write|cache hit)");
  private static final Pattern MESSAGE_COST =
      Pattern.compile("\\$([0-9]+(?:\\.[0-9]+)?)\\s+message");
  private static final Pattern MODEL = Pattern.compile("^(?:Main )?[Mm]odel:\\s*(\\S+)");

  /** aider's start-up lines: not what the agent is doing. */
  private static final Pattern BANNER =
      Pattern.compile("^(Aider v|(Main |Weak |Editor )?[Mm]odel:|Git repo:|Repo-map:)");

  private static final Pattern APPLIED = Pattern.compile("^Applied edit to (.+)$");

  @Override
  public String program() {
    return "aider";
  }

  @Override
  public List<String> arguments(
      CliOptions options, String model, CliSession session, Path promptFile) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "--message-file",
                promptFile.toString(),
                "--yes-always",
                "--no-pretty",
                "--no-stream",
                "--no-auto-commits",
                "--no-check-update"));
    if (model != null) {
      args.addAll(List.of("--model", model));
    }
    return args;
  }

  @Override
  public boolean promptOnStdin() {
    return false;
  }

  @Override
  public List<CliEvent> liveEvents(String line) {
    String text = line.strip();
    Matcher applied = APPLIED.matcher(text);
    if (applied.matches()) {
      return List.of(new CliEvent(CliEvent.Kind.FILE_EDIT, applied.group(1)));
    }
    if (text.isEmpty() || TOKENS.matcher(text).matches() || BANNER.matcher(text).find()) {
      return List.of();
    }
    return List.of(new CliEvent(CliEvent.Kind.MESSAGE, text));
  }

  @Override
  public CliReport parse(String stdout) {
    long in = 0;
    long out = 0;
    double cost = 0;
    boolean costSeen = false;
    String model = null;
    StringBuilder text = new StringBuilder();
    List<CliEvent> events = new ArrayList<>();
    for (String line : stdout.split("\n")) {
      Matcher tokens = TOKENS.matcher(line.strip());
      if (tokens.matches()) {
        Matcher count = COUNT.matcher(tokens.group(1));
        while (count.find()) {
          long n = scaled(count.group(1), count.group(2));
          if (count.group(3).equals("received")) {
            out += n;
          } else {
            in += n;
          }
        }
        Matcher message = MESSAGE_COST.matcher(tokens.group(2));
        if (message.find()) {
          cost += Double.parseDouble(message.group(1));
          costSeen = true;
        }
        continue;
      }
      Matcher named = MODEL.matcher(line.strip());
      if (model == null && named.find()) {
        model = named.group(1);
        continue;
      }
      Matcher applied = APPLIED.matcher(line.strip());
      if (applied.matches()) {
        events.add(new CliEvent(CliEvent.Kind.FILE_EDIT, applied.group(1)));
      }
      text.append(line).append('\n');
    }
    String answer = text.toString().strip();
    if (!answer.isEmpty()) {
      events.add(new CliEvent(CliEvent.Kind.MESSAGE, answer));
    }
    return new CliReport(
        answer,
        null,
        List.of(new ModelTokens(model, in, out)),
        costSeen ? cost : null,
        null,
        null,
        events);
  }

  private static long scaled(String number, String suffix) {
    double value = Double.parseDouble(number);
    double factor =
        switch (suffix) {
          case "k", "K" -> 1_000;
          case "m", "M" -> 1_000_000;
          default -> 1;
        };
    return Math.round(value * factor);
  }
}
