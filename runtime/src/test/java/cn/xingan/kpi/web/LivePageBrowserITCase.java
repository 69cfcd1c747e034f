package cn.xingan.kpi.web;

import static org.assertj.core.api.Assertions.assertThat;

import cn.xingan.kpi.sink.ClickHouseHttp;
import cn.xingan.kpi.testing.ClickHouseExtension;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The live page in headless Chromium (Debian's {@code chromium} and {@code chromedriver}, given by
 * path so Selenium Manager never downloads anything): it loads without console errors, shows the
 * headline numbers of rows inserted for this week, half month and month (figures worked out by hand
 * below), follows a new row version within a refresh, and the area selector switches to the
 * county's rows. Screenshots are kept in {@code runtime/target/live-page*.png}.
 */
class LivePageBrowserITCase {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
  private static final Duration WAIT = Duration.ofSeconds(20);

  @RegisterExtension static final ClickHouseExtension CLICKHOUSE = new ClickHouseExtension();
  @TempDir static Path profile;

  private static LivePage page;
  private static ChromeDriver browser;
  private static LocalDate week;
  private static LocalDate halfMonth;
  private static LocalDate month;

  @BeforeAll
  static void start() throws IOException, InterruptedException {
    assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER))
        .withFailMessage(
            "the browser test needs Debian's chromium at %s and chromedriver at %s;"
                + " install them with: apt-get install -y chromium chromium-driver",
            CHROMIUM, CHROMEDRIVER)
        .isTrue();
    awayFromMidnight();
    LocalDate today = LocalDate.now(ZONE);
    week = today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    halfMonth = today.withDayOfMonth(today.getDayOfMonth() <= 15 ? 1 : 16);
    month = today.withDayOfMonth(1);
    insertRows(CLICKHOUSE.http());
    page = LivePage.start(new InetSocketAddress("127.0.0.1", 0), CLICKHOUSE.endpoint(), ZONE);
    browser = startBrowser();
  }

  /**
   * The rows are for today's periods and the page asks the server for them: both must see the same
   * local date, so the test does not start in the last minute before local midnight.
   */
  private static void awayFromMidnight() throws InterruptedException {
    java.time.ZonedDateTime now = java.time.ZonedDateTime.now(ZONE);
    Duration left = Duration.between(now, now.toLocalDate().plusDays(1).atStartOfDay(ZONE));
    if (left.compareTo(Duration.ofMinutes(1)) < 0) {
      Thread.sleep(left.plusSeconds(2).toMillis());
    }
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (page != null) {
      page.close();
    }
  }

  private static ChromeDriver startBrowser() {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--user-data-dir=" + profile.resolve("chromium"),
        "--window-size=1440,2200");
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER.toString()))
            .usingAnyFreePort()
            .build();
    return new ChromeDriver(service, options);
  }

  /**
   * The League's rows of this week, half month and month, and Ulanhot's week; the week's service
   * row first as an older rolling version (which FINAL must hide). Two open alerts, one resolved.
   */
  private static void insertRows(ClickHouseHttp ch) {
    // week: 1,234 completed, 1,111 on time (90.03%), 617 online (50.0%), 500 without a visit
    // (40.52%), 360 of 400 satisfied (90.0%), 24,680 hours in all (20.0 h each).
    service(ch, "week", week, "league", "", 600, 500, 300, 200, 12000, 200, 180, 0, 40);
    service(ch, "week", week, "league", "", 1234, 1111, 617, 500, 24680, 400, 360, 0, 90);
    // half month: 2,500 completed, 2,400 on time (96.0%); month: 10,000 and 9,000 (90.0%).
    service(ch, "half_month", halfMonth, "league", "", 2500, 2400, 1000, 900, 30000, 1, 1, 0, 91);
    service(ch, "month", month, "league", "", 10000, 9000, 4000, 3000, 90000, 1, 1, 0, 92);
    // Ulanhot's week: 321 completed, 300 on time (93.46%).
    service(ch, "week", week, "county", "ulanhot", 321, 300, 100, 50, 963, 10, 9, 0, 30);
    // Stalls this week: 4,567 of 6,000 occupied (76.12%); Ulanhot 900 of 1,000 (90.0%).
    market(ch, week, "league", "", 4567, 6000, 48);
    market(ch, week, "county", "ulanhot", 900, 1000, 12);
    // The month's projects: 1,234,567,890 yuan invested = 12.35 亿元; 13.6 bn of 27.2 bn = 50.0%.
    project(ch, month, "league", "", "1234567890.00", "13600000000.00", "27200000000.00");
    // For the charts (not checked as numbers): earlier weeks, market types, areas' year.
    for (int w = 1; w <= 7; w++) {
      service(
          ch,
          "week",
          week.minusWeeks(w),
          "league",
          "",
          1000 + 10 * w,
          880 + 15 * w,
          420 + 5 * w,
          300,
          20000,
          300,
          270,
          1,
          81);
    }
    String[] types = {"night", "morning", "morning_evening", "farmers", "gig"};
    for (int i = 0; i < types.length; i++) {
      market(ch, week, "market_type", types[i], 600 + 70L * i, 1000, 6);
    }
    String[] areas = {"ulanhot", "arxan", "horqin-right-front", "jalaid", "tuquan"};
    for (int i = 0; i < areas.length; i++) {
      projectYear(ch, areas[i], (6 - i) * 1_000_000_000L, (6 - i) * 1_600_000_000L);
    }
    alert(ch, "P1:behind_plan:2026-01-16", "ulanhot", "critical", "open", 1);
    alert(ch, "P2:no_report:2026-02-01", "arxan", "warning", "open", 1);
    alert(ch, "P3:no_report:2026-02-01", "arxan", "warning", "resolved", 2);
  }

  private static void service(
      ClickHouseHttp ch,
      String period,
      LocalDate start,
      String scope,
      String key,
      long completed,
      long onTime,
      long online,
      long zeroVisit,
      long hours,
      long responses,
      long positive,
      int isFinal,
      long version) {
    ch.execute(
        String.format(
            "INSERT INTO kpi_service (period, period_start, period_end, scope, scope_key,"
                + " accepted, completed, completed_on_time, completed_online,"
                + " completed_zero_visit, processing_hours_sum, satisfaction_responses,"
                + " satisfaction_positive, events, is_final, version, updated_at) VALUES"
                + " ('%s', '%s', '%s', '%s', '%s', %d, %d, %d, %d, %d, %d, %d, %d, %d, %d, %d,"
                + " now())",
            period,
            start,
            end(period, start),
            scope,
            key,
            completed + 5,
            completed,
            onTime,
            online,
            zeroVisit,
            hours,
            responses,
            positive,
            version / 2,
            isFinal,
            version));
  }

  private static LocalDate end(String period, LocalDate start) {
    return switch (period) {
      case "week" -> start.plusDays(6);
      case "half_month" ->
          start.getDayOfMonth() == 1
              ? start.withDayOfMonth(15)
              : start.plusMonths(1).withDayOfMonth(1).minusDays(1);
      default -> start.plusMonths(1).minusDays(1);
    };
  }

  private static void market(
      ClickHouseHttp ch,
      LocalDate start,
      String scope,
      String key,
      long occupied,
      long total,
      int n) {
    ch.execute(
        String.format(
            "INSERT INTO kpi_market (period, period_start, period_end, scope, scope_key,"
                + " markets_reporting, observations, stalls_occupied_sum, stalls_total_sum,"
                + " events, is_final, version, updated_at) VALUES ('week', '%s', '%s', '%s',"
                + " '%s', %d, %d, %d, %d, 10, 0, 20, now())",
            start, start.plusDays(6), scope, key, n, n * 3, occupied, total));
  }

  private static void project(
      ClickHouseHttp ch,
      LocalDate start,
      String scope,
      String key,
      String invested,
      String ytd,
      String planned) {
    ch.execute(
        String.format(
            "INSERT INTO kpi_project (period, period_start, period_end, scope, scope_key,"
                + " projects, planned_year_cny, investment_cny, investment_ytd_cny, events,"
                + " is_final, version, updated_at) VALUES ('month', '%s', '%s', '%s', '%s',"
                + " 197, %s, %s, %s, 10, 0, 20, now())",
            start, start.plusMonths(1).minusDays(1), scope, key, planned, invested, ytd));
  }

  private static void projectYear(ClickHouseHttp ch, String county, long ytd, long planned) {
    ch.execute(
        String.format(
            "INSERT INTO kpi_project (period, period_start, period_end, scope, scope_key,"
                + " projects, planned_year_cny, investment_cny, investment_ytd_cny, events,"
                + " is_final, version, updated_at) VALUES ('year', '%s', '%s', 'county', '%s',"
                + " 20, %d, %d, %d, 10, 0, 20, now())",
            month.withDayOfYear(1),
            month.withMonth(12).withDayOfMonth(31),
            county,
            planned,
            ytd,
            ytd));
  }

  private static void alert(
      ClickHouseHttp ch, String id, String county, String severity, String status, long version) {
    long opened = Instant.parse("2026-01-16T00:00:00Z").getEpochSecond();
    ch.execute(
        String.format(
            "INSERT INTO project_alerts (alert_id, project_id, project_name, county, chain, rule,"
                + " severity, status, opened_at, resolved_at, detail, version, updated_at) VALUES"
                + " ('%s', '%s', '项目 %s', '%s', 'dairy', '%s', '%s', '%s', toDateTime(%d),"
                + " toDateTime(0), 'investment this year 10.00 yuan', %d, now())",
            id,
            id.split(":")[0],
            id.split(":")[0],
            county,
            id.split(":")[1],
            severity,
            status,
            opened,
            version));
  }

  @Test
  void showsTheHeadlinesFollowsNewRowsAndTheAreaSelector() throws Exception {
    browser.get(page.url().toString());
    awaitCell("service.completed", "week", "1,234");
    assertThat(cell("service.on_time", "week")).isEqualTo("90.0%");
    assertThat(cell("service.online", "week")).isEqualTo("50.0%");
    assertThat(cell("service.zero_visit", "week")).isEqualTo("40.5%");
    assertThat(cell("service.satisfaction", "week")).isEqualTo("90.0%");
    assertThat(cell("service.hours", "week")).isEqualTo("20.0 小时");
    assertThat(cell("service.completed", "half_month")).isEqualTo("2,500");
    assertThat(cell("service.on_time", "half_month")).isEqualTo("96.0%");
    assertThat(cell("service.completed", "month")).isEqualTo("10,000");
    assertThat(cell("market.occupancy", "week")).isEqualTo("76.1%");
    assertThat(cell("market.markets", "week")).isEqualTo("48");
    assertThat(cell("project.investment", "month")).isEqualTo("12.35");
    assertThat(cell("project.ytd", "month")).isEqualTo("136.00");
    assertThat(cell("project.of_plan", "month")).isEqualTo("50.0%");
    assertThat(cell("project.projects", "month")).isEqualTo("197");
    assertThat(cell("market.occupancy", "month")).as("no market row this month").isEqualTo("–");
    awaitText(By.id("alert-count"), "2 条，其中严重 1 条");
    assertThat(browser.findElements(By.cssSelector("#alerts [data-alert]"))).hasSize(2);
    screenshot("live-page.png");

    // A newer version of this week's row: 1,240 completed, 1,178 on time (95.0%).
    service(
        CLICKHOUSE.http(),
        "week",
        week,
        "league",
        "",
        1240,
        1178,
        620,
        500,
        24800,
        400,
        380,
        0,
        94);
    awaitCell("service.completed", "week", "1,240");
    assertThat(cell("service.on_time", "week")).isEqualTo("95.0%");

    new Select(browser.findElement(By.id("area"))).selectByValue("ulanhot");
    awaitCell("service.completed", "week", "321");
    assertThat(cell("service.on_time", "week")).isEqualTo("93.5%");
    assertThat(cell("market.occupancy", "week")).isEqualTo("90.0%");
    assertThat(cell("service.completed", "month")).as("no Ulanhot row this month").isEqualTo("–");
    assertThat(browser.findElements(By.cssSelector("#alerts [data-alert]")))
        .singleElement()
        .satisfies(e -> assertThat(e.getAttribute("data-alert")).startsWith("P1:"));
    assertThat(browser.getCurrentUrl()).endsWith("/?area=ulanhot");

    browser.findElement(By.id("lang")).click();
    awaitText(By.id("alert-count"), "1, of which 1 critical");
    assertThat(cell("service.hours", "week")).isEqualTo("3.0 h"); // 963 h / 321
    screenshot("live-page-ulanhot-en.png");
    assertThat(severeConsoleEntries()).isEmpty();
  }

  private static List<String> severeConsoleEntries() {
    return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.WARNING.intValue())
        .map(LogEntry::toString)
        .toList();
  }

  private static String cell(String kpi, String period) {
    By by = By.cssSelector("[data-kpi='" + kpi + "'][data-period='" + period + "']");
    for (int attempt = 1; ; attempt++) {
      try {
        return browser.findElement(by).getText();
      } catch (org.openqa.selenium.StaleElementReferenceException redrawn) {
        if (attempt == 5) {
          throw redrawn;
        }
      }
    }
  }

  private static void awaitCell(String kpi, String period, String text) {
    By by = By.cssSelector("[data-kpi='" + kpi + "'][data-period='" + period + "']");
    awaitText(by, text);
  }

  private static void awaitText(By by, String text) {
    new WebDriverWait(browser, WAIT)
        .withMessage(
            () ->
                by
                    + " never showed '"
                    + text
                    + "'; the console said: "
                    + browser.manage().logs().get(LogType.BROWSER).getAll())
        // the page redraws every refresh: an element found a moment ago may be gone
        .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
        .until(
            d -> {
              List<org.openqa.selenium.WebElement> found = d.findElements(by);
              return !found.isEmpty() && found.get(0).getText().equals(text);
            });
  }

  /** Waits for the charts' animations to end, so the screenshot shows them drawn. */
  private static void screenshot(String name) throws IOException, InterruptedException {
    Thread.sleep(1500);
    Path target = Path.of("target");
    Files.createDirectories(target);
    Files.write(target.resolve(name), browser.getScreenshotAs(OutputType.BYTES));
  }
}
