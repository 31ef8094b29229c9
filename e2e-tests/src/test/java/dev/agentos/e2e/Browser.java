package dev.agentos.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium driven by Debian's chromedriver, both found at fixed paths (or given with
 * {@code -Dagentos.chromium} and {@code -Dagentos.chromedriver}): nothing is downloaded at run
 * time.
 */
final class Browser implements AutoCloseable {
  static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
  static final int MAX_SCREENSHOT_HEIGHT = 2400;

  final WebDriver driver;

  private Browser(WebDriver driver) {
    this.driver = driver;
  }

  /** Why the browser tests cannot run here, if they cannot. */
  static Optional<String> missing() {
    if (Files.isExecutable(chromium()) && Files.isExecutable(chromedriver())) {
      return Optional.empty();
    }
    return Optional.of(
        "headless Chromium is not installed ("
            + chromium()
            + ", "
            + chromedriver()
            + "): install it with `apt-get install -y chromium chromium-driver` (.ci/run does)");
  }

  static Browser start() {
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(chromedriver().toFile())
            .usingAnyFreePort()
            .build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium().toFile());
    // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1400,1000",
        "--lang=en-GB");
    return new Browser(new ChromeDriver(service, options));
  }

  /** Waits until {@code condition} is true (or non-null), failing with {@code what} after it. */
  <T> T await(Duration timeout, String what, Function<WebDriver, T> condition) {
    // A page redraws its rows as they change: an element found may be replaced before it is read.
    try {
      return new WebDriverWait(driver, timeout, Duration.ofMillis(50))
          .withMessage(what)
          .ignoring(StaleElementReferenceException.class)
          .until(condition);
    } catch (org.openqa.selenium.TimeoutException e) {
      throw new AssertionError(what + " not seen in " + timeout + "; " + pageSaid(), e);
    }
  }

  /**
   * The text of what {@code target} finds once it holds every one of {@code parts}: a live page may
   * redraw the element between finding and reading it, or show it before its details arrive.
   */
  String textOnceItShows(Duration timeout, By target, String... parts) {
    return await(
        timeout,
        String.join(", ", parts) + " in " + target,
        d -> {
          String text = d.findElement(target).getText();
          return java.util.Arrays.stream(parts).allMatch(text::contains) ? text : null;
        });
  }

  /** Clicks what {@code target} finds, finding it again if a redraw replaced it first. */
  void click(Duration timeout, By target) {
    await(
        timeout,
        "a click on " + target,
        d -> {
          d.findElement(target).click();
          return true;
        });
  }

  /** Types {@code text} into the field {@code target} finds, again if a redraw replaced it. */
  void type(Duration timeout, By target, String text) {
    await(
        timeout,
        "\"" + text + "\" typed into " + target,
        d -> {
          WebElement field = d.findElement(target);
          if (!text.equals(field.getDomProperty("value"))) {
            field.clear();
            field.sendKeys(text);
          }
          return text.equals(d.findElement(target).getDomProperty("value"));
        });
  }

  /** What the page shows (its text, and a screenshot of it), for the message of a failed wait. */
  private String pageSaid() {
    try {
      Path shot = screenshot("failed-" + System.currentTimeMillis());
      String text = driver.findElement(By.tagName("body")).getText();
      return "the page ("
          + shot.toAbsolutePath()
          + ") said: "
          + (text.length() > 3000 ? text.substring(0, 3000) + "…" : text);
    } catch (RuntimeException | IOException e) {
      return "the page could not be read: " + e;
    }
  }

  /**
   * Saves the whole page (up to {@link #MAX_SCREENSHOT_HEIGHT} pixels) as {@code
   * target/console-screenshots/<name>.png}: the window grows to the page's height for the shot.
   */
  Path screenshot(String name) throws IOException {
    Files.createDirectories(SCREENSHOTS);
    Path file = SCREENSHOTS.resolve(name + ".png");
    Dimension before = driver.manage().window().getSize();
    long height =
        (Long) ((JavascriptExecutor) driver).executeScript("return document.body.scrollHeight;");
    driver
        .manage()
        .window()
        .setSize(
            new Dimension(
                before.getWidth(),
                (int) Math.min(MAX_SCREENSHOT_HEIGHT, Math.max(before.getHeight(), height + 140))));
    try {
      Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    } finally {
      driver.manage().window().setSize(before);
    }
    return file;
  }

  private static Path chromium() {
    return Path.of(System.getProperty("agentos.chromium", "/usr/bin/chromium"));
  }

  private static Path chromedriver() {
    return Path.of(System.getProperty("agentos.chromedriver", "/usr/bin/chromedriver"));
  }

  @Override
  public void close() {
    driver.quit();
  }
}
