package dev.agentos.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentos.e2e.cli.CliRunner;
import dev.agentos.json.Json;
import dev.agentos.nats.CycleEvent;
import dev.agentos.nats.Events;
import dev.agentos.nats.Topology;
import dev.agentos.state.CycleState;
import dev.agentos.state.Phase;
import dev.agentos.state.Status;
import dev.agentos.testing.Await;
import dev.agentos.testing.FakeOpenAiServer;
import dev.agentos.testing.ServiceProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The web console in a real browser (headless Chromium) against a running stack: nats-server with
 * the production accounts (deploy/nats/permissions.conf), the four services and two consoles, each
 * its own process. Each console is signed in as a team's NATS user (team A's, team B's), which
 * reaches only the API and its own cycles' live events: no KV, no stream, no object store. What the
 * pages show is checked against what the API and the CLI say.
 */
class ConsoleBrowserIT {
  private static final Duration CYCLE = Duration.ofSeconds(90);
  private static final Duration PAGE = Duration.ofSeconds(20);

  /** The statuses of a cycle in the order it passes them. */
  private static final List<String> ORDER =
      List.of("QUEUED", "PLANNING", "EXECUTING", "EXPRESSING", "REVIEWING", "COMPLETED");

  private static FakeOpenAiServer model;
  private static AccountsStack stack;
  private static Cluster cluster;
  private static ServiceProcess console;
  private static ServiceProcess consoleB;
  private static Browser browser;

  /** Team A's console. */
  private static String base;

  /** Team B's console. */
  private static String baseB;

  @BeforeAll
  static void start() throws Exception {
    Assumptions.assumeTrue(Browser.missing().isEmpty(), Browser.missing().orElse(""));
    model = new FakeOpenAiServer();
    model.answerAlways("Done: the step is implemented.", 400, 100);
    stack =
        AccountsStack.start(
            Map.ofEntries(
                Map.entry("agentos.prices", "gpt-a=2/8,gpt-b=3/15"),
                Map.entry("agentos.profiles.gpt-a.backend", "openai"),
                Map.entry("agentos.profiles.gpt-a.model", "gpt-a"),
                Map.entry("agentos.profiles.gpt-a.base-url", model.baseUrl()),
                Map.entry("agentos.profiles.gpt-a.api-key", "sk-console-test"),
                Map.entry("agentos.profiles.gpt-b.backend", "openai"),
                Map.entry("agentos.profiles.gpt-b.model", "gpt-b"),
                Map.entry("agentos.profiles.gpt-b.base-url", model.baseUrl()),
                Map.entry("agentos.profiles.gpt-b.api-key", "sk-console-test"),
                // Steps that take a moment and keep a transcript each.
                Map.entry(
                    "agentos.profiles.talking.command",
                    "bash " + Cluster.agentScript("talking-agent.sh")),
                // A Claude Code (the fake that speaks its stream) that says what it is about, then
                // works for a minute: long enough to be watched and cancelled.
                Map.entry("agentos.profiles.claude-slow.backend", "claude-code"),
                Map.entry(
                    "agentos.profiles.claude-slow.command",
                    CliAgentsIT.fake("claude") + " --fake-sleep 60")));
    cluster = stack.cluster;
    // Every workspace of these tests is a temporary folder: the projects' root is the one above.
    Path roots = Path.of(System.getProperty("java.io.tmpdir")).toRealPath();
    for (String[] project :
        new String[][] {{"shop", "teama"}, {"models", "teama"}, {"blog", "teamb"}}) {
      JsonNode added =
          cluster.requestJson(
              Topology.apiSubject("projects.add"),
              TeamsIT.project(project[0], project[1], roots, null));
      assertFalse(added.has("error"), added.toString());
    }
    console = startConsole("console-teama", "teama");
    consoleB = startConsole("console-teamb", "teamb");
    base = "http://127.0.0.1:" + console.httpPort();
    baseB = "http://127.0.0.1:" + consoleB.httpPort();
    browser = Browser.start();
  }

  private static ServiceProcess startConsole(String name, String user) {
    return ServiceProcess.start(
            name,
            Cluster.repoRoot().resolve("console/target/quarkus-app/quarkus-run.jar"),
            stack.natsUser(user),
            cluster.logDir)
        .awaitReady(Cluster.READY);
  }

  @AfterAll
  static void stop() throws Exception {
    if (browser != null) {
      browser.close();
    }
    for (ServiceProcess c : new ServiceProcess[] {console, consoleB}) {
      if (c != null) {
        c.close();
      }
    }
    if (cluster != null) {
      cluster.close();
    }
    if (model != null) {
      model.close();
    }
  }

  @Test
  void aSubmittedCycleAppearsAtOnceMovesThroughItsPhasesAndShowsItsSteps() throws Exception {
    browser.driver.get(base + "/");
    awaitLive();
    // Every status the row is drawn with, in order: the page redraws on each change it is told.
    js(
        "window.seen = {};"
            + "new MutationObserver(() => document.querySelectorAll('tr[data-cycle]').forEach(tr =>"
            + " { const s = (window.seen[tr.dataset.cycle] ||= []);"
            + "   if (s[s.length - 1] !== tr.dataset.status) s.push(tr.dataset.status); }))"
            + ".observe(document.querySelector('#cycles tbody'), {childList: true, subtree: true});");

    String cycleId =
        submit("shop", Workspaces.withSpec(3), "\"agents\":{\"executor\":\"talking\"}");
    long submitted = System.nanoTime();
    browser.await(
        Duration.ofSeconds(1),
        "cycle " + cycleId + " in the list within a second of its submit",
        d -> !d.findElements(row(cycleId)).isEmpty());
    System.out.printf(
        "cycle %s in the list after %d ms%n",
        cycleId, Duration.ofNanos(System.nanoTime() - submitted).toMillis());

    browser.await(
        CYCLE,
        "cycle " + cycleId + " COMPLETED in the list (logs: " + cluster.logDir + ")",
        d -> "COMPLETED".equals(d.findElement(row(cycleId)).getAttribute("data-status")));
    @SuppressWarnings("unchecked")
    List<String> seen = (List<String>) js("return window.seen['" + cycleId + "'];");
    assertTrue(seen.contains("EXECUTING"), "the list showed the cycle executing: " + seen);
    assertEquals("COMPLETED", seen.get(seen.size() - 1), seen.toString());
    for (int i = 1; i < seen.size(); i++) {
      assertTrue(
          ORDER.indexOf(seen.get(i - 1)) < ORDER.indexOf(seen.get(i)),
          "statuses shown in the cycle's order: " + seen);
    }
    // Other cycles' changes redraw the list: its row is found again for each read and the click.
    assertEquals(
        "3/3",
        browser.await(
            PAGE,
            "the steps of " + cycleId,
            d -> d.findElement(row(cycleId)).findElement(By.cssSelector("td.step")).getText()));
    browser.screenshot("cycles");

    browser.click(PAGE, By.linkText(cycleId));
    browser.await(
        PAGE,
        "the cycle's page",
        d -> "COMPLETED".equals(d.findElement(By.tagName("body")).getAttribute("data-status")));
    CycleState state = cluster.state(cycleId);
    List<WebElement> steps = browser.driver.findElements(By.cssSelector("tr.step"));
    assertEquals(3, steps.size());
    for (WebElement step : steps) {
      assertEquals("COMPLETED", step.getAttribute("data-step-status"), step.getText());
    }
    assertEquals(
        Integer.toString(state.currentIteration().review().score()),
        browser.driver.findElement(By.id("review-score")).getText());
    assertFalse(
        browser.driver.findElements(By.cssSelector("#timeline tr[data-type='claimed']")).isEmpty(),
        "the timeline shows who claimed each phase");
    List<WebElement> transcripts =
        browser.driver.findElements(By.cssSelector("a[data-artifact*='/step-']"));
    assertEquals(3, transcripts.size(), "a transcript per step");
    String transcript = transcripts.get(2).getAttribute("href");
    WebElement recap = browser.driver.findElement(By.cssSelector("a[data-artifact$='recap-1.md']"));
    browser.screenshot("cycle");

    browser.driver.get(recap.getAttribute("href"));
    String recapText = browser.driver.findElement(By.tagName("body")).getText();
    assertTrue(recapText.contains("recap"), recapText);
    assertTrue(recapText.contains("Task number 3"), recapText);
    browser.driver.get(transcript);
    String transcriptText = browser.driver.findElement(By.tagName("body")).getText();
    assertTrue(transcriptText.contains("line 40 of step 3"), transcriptText);
  }

  @Test
  void anApprovalGateWaitsForMeAndApprovingInTheBrowserContinuesTheCycle() throws Exception {
    String cycleId = submit("shop", Workspaces.withSpec(1), "\"approvals\":{\"after_plan\":true}");
    browser.driver.get(base + "/waiting.html");
    awaitLive();
    By approve =
        By.cssSelector(".waiting[data-cycle='" + cycleId + "'] button[data-action='approve']");
    browser.await(
        CYCLE,
        "cycle " + cycleId + " waiting for approval",
        d -> !d.findElements(approve).isEmpty());
    // The gate and the plan to approve, once the card's details have loaded.
    browser.textOnceItShows(
        PAGE,
        By.cssSelector(".waiting[data-cycle='" + cycleId + "']"),
        "AFTER_PLAN",
        "Task number 1");
    browser.screenshot("waiting");

    browser.click(PAGE, approve);
    cluster.awaitStatus(cycleId, Status.COMPLETED, CYCLE);
    browser.await(
        PAGE,
        "the approved cycle leaves Waiting for me",
        d -> d.findElements(By.cssSelector(".waiting[data-cycle='" + cycleId + "']")).isEmpty());
  }

  @Test
  void eachTeamsConsoleShowsItsOwnCyclesAndNotTheOtherTeams() throws Exception {
    String mine = submit("shop", Workspaces.withSpec(1), "\"approvals\":{\"after_plan\":true}");
    String theirs = submit("blog", Workspaces.withSpec(1), "\"approvals\":{\"after_plan\":true}");
    cluster.awaitStatus(mine, Status.AWAITING_APPROVAL, CYCLE);
    cluster.awaitStatus(theirs, Status.AWAITING_APPROVAL, CYCLE);

    browser.driver.get(baseB + "/");
    awaitLive();
    browser.await(
        PAGE,
        "team B's cycle " + theirs + " in B's console",
        d -> !d.findElements(row(theirs)).isEmpty());
    assertTrue(
        browser.driver.findElements(row(mine)).isEmpty(), "team A's cycle is not in B's list");
    browser.await(
        PAGE,
        "B's console saying whom it is signed in as",
        d -> "signed in as teamb".equals(d.findElement(By.id("identity")).getText()));
    browser.screenshot("cycles-team-b");
    // Nor can B's console open A's cycle, its events or its artifacts: the API says it is unknown.
    assertEquals(404, Http.get(baseB + "/api/cycles/" + mine).status());
    assertEquals(404, Http.get(baseB + "/api/artifacts/" + mine + "/recap-1.md").status());
    browser.driver.get(baseB + "/waiting.html");
    awaitLive();
    browser.await(
        PAGE,
        "B's own approval under Waiting for me",
        d -> !d.findElements(By.cssSelector(".waiting[data-cycle='" + theirs + "']")).isEmpty());
    assertTrue(
        browser
            .driver
            .findElements(By.cssSelector(".waiting[data-cycle='" + mine + "']"))
            .isEmpty(),
        "A's approval does not wait for B");

    browser.driver.get(base + "/");
    awaitLive();
    browser.await(
        PAGE,
        "team A's cycle " + mine + " in A's console",
        d -> !d.findElements(row(mine)).isEmpty());
    assertTrue(browser.driver.findElements(row(theirs)).isEmpty(), "B's cycle is not in A's list");
    // B's cannot be approved from A's console either: the API answers as for an unknown cycle.
    Http.Response approve = Http.post(base + "/api/cycles/" + theirs + "/approve", "{}");
    assertEquals(404, approve.status(), approve.body());
    assertEquals(Status.AWAITING_APPROVAL, cluster.state(theirs).status(), "B's cycle unchanged");
    // An answer is text, bounded: refused by the console before any call.
    long revision = cluster.store.get(mine).orElseThrow().revision();
    for (String bad :
        List.of("{}", "{\"answer\":\"   \"}", "{\"answer\":\"" + "x".repeat(8_001) + "\"}")) {
      Http.Response refused = Http.post(base + "/api/cycles/" + mine + "/answer", bad);
      assertEquals(400, refused.status(), refused.body());
      assertTrue(refused.body().contains("INVALID_REQUEST"), refused.body());
    }
    assertEquals(revision, cluster.store.get(mine).orElseThrow().revision(), "nothing changed");
    for (String id : List.of(mine, theirs)) {
      cluster.requestJson(Topology.apiSubject("cancel"), "{\"cycle_id\":\"" + id + "\"}");
    }
  }

  /**
   * A cycle that asks a question waits under "Waiting for me" with the question and its context;
   * the answer typed in the browser reaches {@code agentos.api.answer} (the real endpoint) and the
   * cycle goes on. The question is put in place by writing the state as a worker does (CAS through
   * the store), from a cycle parked at an approval gate so that no worker holds it.
   */
  @Test
  void aQuestionWaitsForMeAndTheAnswerTypedInTheBrowserReachesTheCycle() throws Exception {
    String cycleId = submit("shop", Workspaces.withSpec(1), "\"approvals\":{\"after_plan\":true}");
    cluster.awaitStatus(cycleId, Status.AWAITING_APPROVAL, CYCLE);
    String stepId = cluster.state(cycleId).currentIteration().plan().steps().get(0).id();
    cluster.store.update(
        cycleId,
        s -> {
          ObjectNode tree = Json.mapper().valueToTree(s);
          tree.put("status", "NEEDS_INPUT").put("phase", "EXECUTE").remove("approval");
          // The step that asked stays RUNNING, as the executor leaves it: the answer is kept on it.
          ((ObjectNode) tree.at("/iterations/0"))
              .putObject("execution")
              .putArray("steps")
              .addObject()
              .put("id", stepId)
              .put("status", "RUNNING")
              .put("attempts", 1)
              .put("started_at", java.time.Instant.now().minusSeconds(5).toString());
          tree.putObject("question")
              .put("step_id", stepId)
              .put("text", "Which currency should the cart use?")
              .put("context", "The spec names none; the shop sells in the EU and the UK.")
              .put("asked_at", java.time.Instant.now().toString());
          tree.put("updated_at", java.time.Instant.now().toString());
          return Json.mapper().convertValue(tree, CycleState.class);
        });
    // ... and tells of it as the services do, on the team's event subject.
    publishEvent(cycleId, "question", 1, "Which currency should the cart use?");
    // The answered event, as an operator's tool sees it.
    io.nats.client.Subscription answered =
        cluster.nc.subscribe(Topology.eventSubject(cycleId, "answered") + ".>");
    io.nats.client.Subscription answeredNoTeam =
        cluster.nc.subscribe(Topology.eventSubject(cycleId, "answered"));
    cluster.nc.flush(Duration.ofSeconds(5));

    browser.driver.get(base + "/waiting.html");
    awaitLive();
    By card = By.cssSelector(".waiting[data-cycle='" + cycleId + "']");
    By answer =
        By.cssSelector(".waiting[data-cycle='" + cycleId + "'] button[data-action='answer']");
    browser.await(CYCLE, "the question of " + cycleId, d -> !d.findElements(answer).isEmpty());
    By answerBox = By.cssSelector("textarea[data-answer='" + cycleId + "']");
    // The question, its context and the step that asks, once the card's details have loaded.
    browser.textOnceItShows(
        PAGE,
        card,
        "Which currency should the cart use?",
        "the shop sells in the EU and the UK",
        stepId);
    browser.type(PAGE, answerBox, "EUR, and GBP for the UK shop");
    // Another cycle that comes to wait redraws the page: what is typed stays, and so does the
    // keyboard, so a person writing an answer loses neither.
    WebElement before = browser.driver.findElement(answerBox);
    String another = submit("shop", Workspaces.withSpec(1), "\"approvals\":{\"after_plan\":true}");
    browser.await(
        CYCLE,
        "cycle " + another + " waiting beside the question",
        d -> !d.findElements(By.cssSelector(".waiting[data-cycle='" + another + "']")).isEmpty());
    browser.await(PAGE, "the question's card drawn again", ExpectedConditions.stalenessOf(before));
    assertEquals(
        "EUR, and GBP for the UK shop",
        browser.driver.findElement(answerBox).getDomProperty("value"),
        "the answer typed survives the redraw");
    assertEquals(
        browser.driver.findElement(answerBox),
        browser.driver.switchTo().activeElement(),
        "the answer box keeps the focus through the redraw");
    browser.screenshot("question");
    browser.click(PAGE, answer);

    Await.until(
        CYCLE,
        "cycle " + cycleId + " to go on after the answer",
        () -> !cluster.state(cycleId).status().name().equals("NEEDS_INPUT"));
    io.nats.client.Message event = answered.nextMessage(Duration.ofSeconds(10));
    if (event == null) {
      event = answeredNoTeam.nextMessage(Duration.ofSeconds(1));
    }
    assertTrue(event != null, "an answered event for " + cycleId);
    String recorded =
        new String(event.getData(), java.nio.charset.StandardCharsets.UTF_8)
            + new String(
                Json.write(cluster.state(cycleId)), java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(
        recorded.contains("EUR, and GBP for the UK shop"),
        "the answer is in the cycle's state or its answered event: " + recorded);
    browser.await(
        PAGE, "the answered question leaves Waiting for me", d -> d.findElements(card).isEmpty());
    cluster.requestJson(Topology.apiSubject("cancel"), "{\"cycle_id\":\"" + another + "\"}");
  }

  /**
   * On a cycle's own page: a rejection with the comment typed there becomes the next iteration's
   * feedback; the running agent's output shows in the live pane while it works; a comment being
   * typed keeps its text and the keyboard as the running cycle's events redraw the page; Cancel,
   * once confirmed, stops the cycle.
   */
  @Test
  void onACyclesPageAPersonRejectsWatchesTheAgentWorkAndCancelsIt() throws Exception {
    String cycleId =
        submit(
            "shop",
            Workspaces.withSpec(1),
            "\"approvals\":{\"after_plan\":true},\"agents\":{\"executor\":\"claude-slow\"}");
    browser.driver.get(base + "/cycle.html?id=" + cycleId);
    awaitLive();
    By comment = By.cssSelector("#actions textarea[data-comment='" + cycleId + "']");
    browser.await(
        CYCLE, "the plan gate of " + cycleId, d -> !d.findElements(onPage("reject")).isEmpty());
    String why = "Split the cart task: totals first, then currencies.";
    browser.type(PAGE, comment, why);
    browser.click(PAGE, onPage("reject"));

    CycleState second =
        Await.value(
            CYCLE,
            "iteration 2 of " + cycleId + " at the plan gate",
            () -> {
              CycleState s = cluster.state(cycleId);
              return s.iteration() == 2 && s.status() == Status.AWAITING_APPROVAL ? s : null;
            });
    assertTrue(
        Json.mapper().writeValueAsString(second.currentIteration().feedbackIn()).contains(why),
        "the comment is the next iteration's feedback: " + second.currentIteration().feedbackIn());
    browser.textOnceItShows(PAGE, By.id("iterations"), "Iteration 2", why);
    assertEquals(
        "",
        browser.await(PAGE, "the comment box", d -> d.findElement(comment).getDomProperty("value")),
        "the comment said is not kept for the next action");

    browser.click(PAGE, onPage("approve"));
    String stepId = second.currentIteration().plan().steps().get(0).id();
    browser.textOnceItShows(
        CYCLE, By.id("output"), "Looking at step " + stepId + " before the edit.");
    assertEquals(Status.EXECUTING, cluster.state(cycleId).status(), "shown while the agent works");

    // A comment typed while the running cycle's events redraw the page keeps its text and keys.
    browser.type(PAGE, comment, "Wrong branch");
    WebElement before = browser.driver.findElement(comment);
    publishEvent(cycleId, "output", 2, stepId + " message: editing src/cart.ts");
    browser.await(
        PAGE,
        "the page redrawn by the cycle's output event",
        ExpectedConditions.stalenessOf(before));
    browser.textOnceItShows(PAGE, By.id("output"), "editing src/cart.ts");
    assertEquals("Wrong branch", browser.driver.findElement(comment).getDomProperty("value"));
    assertEquals(
        browser.driver.findElement(comment),
        browser.driver.switchTo().activeElement(),
        "the comment box keeps the focus through the redraw");
    browser.screenshot("cycle-running");

    browser.click(PAGE, onPage("cancel"));
    browser
        .await(
            PAGE,
            "the confirmation the Cancel button asks for",
            ExpectedConditions.alertIsPresent())
        .accept();
    cluster.awaitStatus(cycleId, Status.CANCELLED, CYCLE);
    browser.await(
        PAGE,
        "the page showing the cycle CANCELLED",
        d -> "CANCELLED".equals(d.findElement(By.tagName("body")).getAttribute("data-status")));
    assertTrue(
        browser.driver.findElements(By.cssSelector("#actions button")).isEmpty(),
        "a cancelled cycle offers no action");
  }

  /**
   * A FAILED cycle's page offers Retry and Resume, and each sends the cycle round again: the model
   * executor changes no file, so Review fails it each time, and its timeline tells both steers.
   */
  @Test
  void aFailedCycleIsRetriedAndResumedFromItsPage() throws Exception {
    String cycleId =
        submit(
            "shop",
            Workspaces.withSpec(1),
            "\"max_iterations\":1,\"agents\":{\"executor\":\"gpt-a\"}");
    cluster.awaitStatus(cycleId, Status.FAILED, CYCLE);
    browser.driver.get(base + "/cycle.html?id=" + cycleId);
    awaitLive();
    for (String[] steer :
        new String[][] {{"retry", "retrying failed steps"}, {"resume", "resumed"}}) {
      browser.await(
          CYCLE,
          "the " + steer[0] + " button of the FAILED cycle " + cycleId,
          d ->
              "FAILED".equals(d.findElement(By.tagName("body")).getAttribute("data-status"))
                  && !d.findElements(onPage(steer[0])).isEmpty());
      browser.click(PAGE, onPage(steer[0]));
      browser.await(
          CYCLE,
          "the timeline telling \"" + steer[1] + "\"",
          d ->
              d.findElements(By.cssSelector("#timeline tr[data-type='transition']")).stream()
                  .anyMatch(row -> row.getText().contains(steer[1])));
      cluster.awaitStatus(cycleId, Status.FAILED, CYCLE);
    }
    browser.screenshot("cycle-failed");
  }

  /**
   * A browser gives a host six connections, and keeps a page left behind for its back button with
   * its live stream open unless the page closes it: a person going from page to page soon had a
   * page that could neither load nor go live. Ten pages one after another, then back: each loads
   * and goes live, and the page come back to is live again.
   */
  @Test
  void pageAfterPageGoesLiveAndAPageComeBackToIsLiveAgain() throws Exception {
    String cycleId = submit("shop", Workspaces.withSpec(1), "");
    cluster.awaitStatus(cycleId, Status.COMPLETED, CYCLE);
    List<String> pages =
        List.of("/", "/waiting.html", "/history.html", "/cycle.html?id=" + cycleId);
    for (int visit = 0; visit < 10; visit++) {
      browser.driver.get(base + pages.get(visit % pages.size()));
      awaitLive();
    }
    browser.driver.get(base + "/cycle.html?id=" + cycleId);
    browser.await(
        PAGE,
        "the cycle's page loaded after ten others",
        d -> "COMPLETED".equals(d.findElement(By.tagName("body")).getAttribute("data-status")));
    browser.driver.navigate().back();
    awaitLive();
    assertTrue(
        browser.driver.getCurrentUrl().endsWith("/waiting.html"), browser.driver.getCurrentUrl());
  }

  /**
   * Eight console tabs open at once, more than the six connections a browser gives a host: they
   * share one live stream, so each goes live and loads, and a change reaches every one of them.
   */
  @Test
  void eightTabsOpenAtOnceAllGoLiveAndSeeAChange() throws Exception {
    String first = browser.driver.getWindowHandle();
    List<String> tabs = new ArrayList<>();
    try {
      for (int tab = 0; tab < 8; tab++) {
        browser.driver.switchTo().newWindow(WindowType.TAB);
        tabs.add(browser.driver.getWindowHandle());
        browser.driver.get(base + "/");
        awaitLive();
      }
      String cycleId = submit("shop", Workspaces.withSpec(1), "");
      for (String tab : tabs) {
        browser.driver.switchTo().window(tab);
        browser.await(
            CYCLE,
            "cycle " + cycleId + " COMPLETED in tab " + tab,
            d -> "COMPLETED".equals(d.findElement(row(cycleId)).getAttribute("data-status")));
      }
      browser.driver.get(base + "/cycle.html?id=" + cycleId);
      browser.await(
          PAGE,
          "the cycle's page in the eighth tab",
          d -> "COMPLETED".equals(d.findElement(By.tagName("body")).getAttribute("data-status")));
    } finally {
      for (String tab : tabs) {
        browser.driver.switchTo().window(tab).close();
      }
      browser.driver.switchTo().window(first);
    }
  }

  /**
   * A browser without shared workers: each page holds its own live stream, goes live and sees a
   * change, as before the tabs shared one.
   */
  @Test
  void aBrowserWithoutSharedWorkersGivesEachPageItsOwnStream() throws Exception {
    ChromeDriver chrome = (ChromeDriver) browser.driver;
    Map<String, Object> added =
        chrome.executeCdpCommand(
            "Page.addScriptToEvaluateOnNewDocument",
            Map.of("source", "delete window.SharedWorker;"));
    try {
      browser.driver.get(base + "/");
      assertEquals("undefined", js("return typeof SharedWorker;"));
      awaitLive();
      String cycleId = submit("shop", Workspaces.withSpec(1), "");
      browser.await(
          CYCLE,
          "cycle " + cycleId + " COMPLETED in the list",
          d -> "COMPLETED".equals(d.findElement(row(cycleId)).getAttribute("data-status")));
    } finally {
      chrome.executeCdpCommand(
          "Page.removeScriptToEvaluateOnNewDocument",
          Map.of("identifier", added.get("identifier")));
    }
  }

  /** Publishes an EXECUTE event of team A's {@code cycleId}, as the services tell of one. */
  private static void publishEvent(String cycleId, String type, int iteration, String message) {
    new Events(cluster.nc, java.time.Clock.systemUTC())
        .publish(
            "teama",
            new CycleEvent(
                cycleId,
                type,
                java.time.Instant.now(),
                null,
                Phase.EXECUTE,
                iteration,
                message,
                null));
  }

  /** The button of {@code action} on a cycle's own page. */
  private static By onPage(String action) {
    return By.cssSelector("#actions button[data-action='" + action + "']");
  }

  @Test
  void theHistoryPageShowsWhatAgentosStatsSays() throws Exception {
    String project = "models";
    List<String> ids = new ArrayList<>();
    for (String profile : List.of("gpt-a", "gpt-a", "gpt-b", "gpt-b")) {
      ids.add(
          submit(
              project,
              Workspaces.withSpec(1),
              "\"max_iterations\":1,\"agents\":{\"executor\":\"" + profile + "\"}"));
    }
    // The fake model changes no file, so Review never passes these: each ends after one iteration.
    for (String id : ids) {
      cluster.awaitStatus(id, Status.FAILED, CYCLE);
    }
    Await.until(
        Duration.ofSeconds(30),
        "history records of " + ids,
        () -> {
          Set<String> recorded = new HashSet<>();
          history(project).forEach(r -> recorded.add(r.path("cycle_id").asText()));
          return recorded.containsAll(ids);
        });

    browser.driver.get(base + "/history.html");
    awaitLive();
    browser.await(
        PAGE,
        "project " + project + " to choose",
        d -> !d.findElements(By.cssSelector("#project option[value='" + project + "']")).isEmpty());
    new Select(browser.driver.findElement(By.id("project"))).selectByValue(project);
    browser.await(
        PAGE,
        "the figures of project " + project,
        d ->
            "4".equals(cell("overall", "cycles").getAttribute("data-value"))
                && !d.findElements(By.cssSelector("tr[data-group='by_model.gpt-b']")).isEmpty());

    CliRunner cli =
        new CliRunner(
            Cluster.repoRoot(),
            Map.of(
                "AGENTOS_STATE_DIR",
                Files.createTempDirectory("agentos-cli-").toString(),
                "NATS_USER",
                "admin",
                "NATS_PASSWORD",
                stack.password("admin")));
    CliRunner.Result result =
        cli.run("stats", "--project", project, "--json", "--nats", cluster.nats.url());
    assertEquals(0, result.code(), result.toString());
    JsonNode stats = Json.tree(result.out().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertEquals(Set.of("gpt-a", "gpt-b"), names(stats.path("by_model")));
    List<String> groups = new ArrayList<>(List.of("overall"));
    for (String kind : List.of("by_project", "by_instruction", "by_model")) {
      stats.path(kind).fieldNames().forEachRemaining(name -> groups.add(kind + "." + name));
    }
    List<String> shownGroups = new ArrayList<>();
    for (WebElement tr : browser.driver.findElements(By.cssSelector("#figures tr[data-group]"))) {
      shownGroups.add(tr.getAttribute("data-group"));
    }
    assertEquals(groups, shownGroups, "the groups of agentos stats, in its order");
    for (String group : groups) {
      JsonNode expected = group.equals("overall") ? stats.path("overall") : groupOf(stats, group);
      assertGroupShown(group, expected);
    }
    assertEquals(4, browser.driver.findElements(By.cssSelector("#chart-cost circle")).size());
    assertEquals(4, browser.driver.findElements(By.cssSelector("#chart-time circle")).size());
    List<WebElement> bars = browser.driver.findElements(By.cssSelector("#bars-cost-model rect"));
    assertEquals(2, bars.size());
    for (WebElement bar : bars) {
      double shown = Double.parseDouble(bar.getAttribute("data-value"));
      double expected =
          stats
              .path("by_model")
              .path(bar.getAttribute("data-label"))
              .path("mean_cost_usd")
              .asDouble();
      assertEquals(expected, shown, 1e-12, "bar of " + bar.getAttribute("data-label"));
      assertTrue(shown > 0, "the models cost something: " + shown);
    }
    browser.screenshot("history");
  }

  /**
   * Asserts every figure the page shows of a stats group against agentos stats; a figure the API
   * leaves out (a mean of nothing) is shown empty.
   */
  private static void assertGroupShown(String group, JsonNode expected) {
    List<WebElement> cells =
        browser.driver.findElements(
            By.cssSelector("tr[data-group='" + group + "'] td[data-field]"));
    assertEquals(10, cells.size(), "figures of " + group);
    for (WebElement cell : cells) {
      String field = cell.getAttribute("data-field");
      String shown = cell.getAttribute("data-value");
      JsonNode value = expected.path(field);
      if (value.isMissingNode() || value.isNull()) {
        assertEquals("", shown, group + "." + field);
      } else {
        assertEquals(value.asDouble(), Double.parseDouble(shown), 1e-12, group + "." + field);
      }
    }
  }

  private static JsonNode groupOf(JsonNode stats, String group) {
    int dot = group.indexOf('.');
    return stats.path(group.substring(0, dot)).path(group.substring(dot + 1));
  }

  private static WebElement cell(String group, String field) {
    return browser.driver.findElement(
        By.cssSelector("tr[data-group='" + group + "'] td[data-field='" + field + "']"));
  }

  private static Set<String> names(JsonNode object) {
    Set<String> names = new HashSet<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static By row(String cycleId) {
    return By.cssSelector("tr[data-cycle='" + cycleId + "']");
  }

  /** Waits until the page's live feed is connected: from then on it misses no change. */
  private static void awaitLive() {
    browser.await(
        PAGE,
        "the live feed of " + browser.driver.getCurrentUrl(),
        d -> d.findElement(By.id("live")).getAttribute("class").contains("on"));
  }

  private static Object js(String script) {
    return ((JavascriptExecutor) browser.driver).executeScript(script);
  }

  private static List<JsonNode> history(String project) {
    List<JsonNode> records = new ArrayList<>();
    JsonNode reply;
    try {
      reply =
          cluster.requestJson(
              Topology.apiSubject("history"), "{\"project\":\"" + project + "\",\"limit\":10000}");
    } catch (Exception e) {
      throw new IllegalStateException("agentos.api.history did not answer", e);
    }
    reply.path("cycles").forEach(records::add);
    return records;
  }

  private static String submit(String project, Path workspace, String options) throws Exception {
    String body =
        "{\"project\":\""
            + project
            + "\",\"instruction\":\"execute-tasks\",\"workspace\":{\"path\":\""
            + workspace
            + "\"},\"spec\":\""
            + Workspaces.SPEC
            + "\",\"options\":{"
            + options
            + "}}";
    JsonNode reply = cluster.requestJson(Topology.apiSubject("submit"), body);
    String id = reply.path("cycle_id").asText();
    assertFalse(id.isBlank(), reply.toString());
    return id;
  }
}
