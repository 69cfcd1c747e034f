package cn.xingan.kpi.local.generate;

import static org.assertj.core.api.Assertions.assertThat;

import cn.xingan.kpi.events.Envelope;
import cn.xingan.kpi.events.EventDecoder;
import cn.xingan.kpi.events.EventStream;
import cn.xingan.kpi.events.MarketEvent;
import cn.xingan.kpi.events.MarketStatus;
import cn.xingan.kpi.events.Origin;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The generated market reports against CONTRACT.md §1 (every report decodes as valid) and DOMAIN.md
 * (31 morning/evening markets with nearly 6,000 stalls, 17 of them upgraded for weeks, 19 gig-work
 * markets with 2,700+ workers), over 14 months of reports.
 */
class MarketReportGeneratorTest {
  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  private static final LocalDate FROM = LocalDate.of(2025, 12, 1);
  private static final LocalDate TO = LocalDate.of(2027, 2, 1);

  private static List<MarketEvent> reports;

  private static Instant at(LocalDate day) {
    return day.atStartOfDay(SHANGHAI).toInstant();
  }

  @BeforeAll
  static void generate() {
    EventDecoder decoder = new EventDecoder(-1, 1 << 20);
    reports = new ArrayList<>();
    new MarketReportGenerator(7, SHANGHAI)
        .forEachBetween(
            at(FROM),
            at(TO),
            e -> {
              Envelope env =
                  decoder.decode(
                      EventStream.MARKET_STALL_COUNTS, new Origin("t", 0, 0, e.json()), 0);
              assertThat(env.isRejected())
                  .as("%s: %s", e.jsonText(), env.isRejected() ? env.rejection().detail() : "")
                  .isFalse();
              assertThat(e.key()).isEqualTo(env.market().marketId());
              assertThat(e.eventTime().toEpochMilli()).isEqualTo(env.market().eventTime());
              reports.add(env.market());
            });
  }

  private static LocalDate date(MarketEvent e) {
    return Instant.ofEpochMilli(e.eventTime()).atZone(SHANGHAI).toLocalDate();
  }

  private static LocalTime time(MarketEvent e) {
    return Instant.ofEpochMilli(e.eventTime()).atZone(SHANGHAI).toLocalTime();
  }

  @Test
  void theCatalogHasTheDocumentsFigures() {
    List<MarketSite> all = MarketCatalog.standard();
    List<MarketSite> gig = all.stream().filter(MarketSite::isGig).toList();
    List<MarketSite> other = all.stream().filter(m -> !m.isGig()).toList();
    assertThat(other).hasSize(31);
    assertThat(other.stream().mapToInt(MarketSite::stalls).sum()).isBetween(5_900, 5_999);
    assertThat(gig).hasSize(19);
    assertThat(gig.stream().mapToInt(MarketSite::workers).sum()).isBetween(2_700, 2_799);
    assertThat(all.stream().map(MarketSite::id).distinct()).hasSize(50);
    assertThat(all.stream().map(MarketSite::nameZh))
        .contains("团结夜市", "音德尔镇早市", "春州夜市", "图什业图农贸市场早晚市");
    Set<String> counties = new HashSet<>();
    County.ALL.forEach(c -> counties.add(c.code()));
    assertThat(all).allMatch(m -> counties.contains(m.county()));
    assertThat(all.stream().map(MarketSite::type).distinct())
        .containsExactlyInAnyOrder("night", "morning", "morning_evening", "farmers", "gig");
  }

  @Test
  void theSameSeedGivesTheSameReportsAndWindowsJoinUp() {
    Instant a = at(LocalDate.of(2026, 6, 29));
    Instant b = a.plusSeconds(13 * 3600 + 17); // mid-day, off the minute
    Instant c = at(LocalDate.of(2026, 7, 2));
    List<GeneratedEvent> whole = new MarketReportGenerator(7, SHANGHAI).between(a, c);
    List<GeneratedEvent> joined =
        new ArrayList<>(new MarketReportGenerator(7, SHANGHAI).between(a, b));
    joined.addAll(new MarketReportGenerator(7, SHANGHAI).between(b, c));
    assertThat(joined).isEqualTo(whole);
    assertThat(whole).isSortedAccordingTo((x, y) -> x.eventTime().compareTo(y.eventTime()));
    assertThat(whole).allMatch(e -> !e.eventTime().isBefore(a) && e.eventTime().isBefore(c));
    List<GeneratedEvent> other = new MarketReportGenerator(8, SHANGHAI).between(a, c);
    assertThat(other).isNotEqualTo(whole);
    Set<String> ids = new HashSet<>();
    whole.forEach(e -> ids.add(e.jsonText().substring(0, e.jsonText().indexOf("\",\""))));
    assertThat(ids).hasSize(whole.size());
    assertThat(whole.get(0).jsonWithStream(MarketReportGenerator.STREAM))
        .startsWith("{\"stream\":\"market-stall-counts\",\"event_id\":".getBytes());
  }

  @Test
  void eachTypeReportsAtItsSessions() {
    for (MarketEvent e : reports) {
      int hour = time(e).getHour();
      switch (e.marketType()) {
        case NIGHT -> assertThat(hour).as("night %s", time(e)).isBetween(19, 21);
        case MORNING -> assertThat(hour).as("morning %s", time(e)).isBetween(5, 7);
        case MORNING_EVENING -> assertThat(hour).as("morning/evening %s", time(e)).isIn(6, 7, 18);
        case FARMERS -> assertThat(hour).as("farmers %s", time(e)).isIn(9, 16);
        case GIG -> assertThat(hour).as("gig %s", time(e)).isIn(8, 12, 16);
      }
    }
  }

  @Test
  void seventeenMarketsAreUpgradedForWeeksAtATime() {
    // Spells of consecutive upgrading days per market, leaving out those cut by the window's ends.
    Map<String, TreeMap<LocalDate, MarketStatus>> byMarket = new HashMap<>();
    for (MarketEvent e : reports) {
      byMarket
          .computeIfAbsent(e.marketId(), k -> new TreeMap<>())
          .merge(date(e), e.status(), (x, y) -> x);
    }
    Set<String> upgraded = new HashSet<>();
    List<Integer> spells = new ArrayList<>();
    byMarket.forEach(
        (id, days) -> {
          LocalDate start = null;
          for (LocalDate d = FROM; d.isBefore(TO); d = d.plusDays(1)) {
            boolean up = days.get(d) == MarketStatus.UPGRADING;
            if (up) {
              upgraded.add(id);
              if (start == null) {
                start = d;
              }
            } else if (start != null) {
              boolean cut =
                  start.equals(FROM)
                      || days.get(d) == MarketStatus.CLOSED
                      || days.get(start.minusDays(1)) == MarketStatus.CLOSED;
              if (!cut) {
                spells.add((int) (d.toEpochDay() - start.toEpochDay()));
              }
              start = null;
            }
          }
        });
    assertThat(upgraded).hasSize(MarketReportGenerator.UPGRADED_MARKETS);
    assertThat(spells).isNotEmpty().allMatch(n -> n % 7 == 0 && n >= 21 && n <= 49);
    // Gig-work markets are in trial operation, never upgraded.
    assertThat(reports)
        .noneMatch(
            e -> e.marketType().code().equals("gig") && e.status() != MarketStatus.OPERATING);
  }

  @Test
  void outOfOperationMeansOneReportADayWithoutStalls() {
    Map<String, Integer> perMarketDay = new HashMap<>();
    for (MarketEvent e : reports) {
      if (e.status() != MarketStatus.OPERATING) {
        assertThat(e.stallsTotal()).isZero();
        assertThat(e.stallsOccupied()).isZero();
        perMarketDay.merge(e.marketId() + date(e), 1, Integer::sum);
      }
    }
    assertThat(perMarketDay).isNotEmpty().allSatisfy((k, n) -> assertThat(n).isEqualTo(1));
  }

  @Test
  void nightMarketsCloseForTheWinter() {
    for (MarketEvent e : reports) {
      if (e.marketType().code().equals("night")) {
        int month = date(e).getMonthValue();
        if (month == 12 || month <= 2) {
          assertThat(e.status()).isEqualTo(MarketStatus.CLOSED);
        } else {
          assertThat(e.status()).isNotEqualTo(MarketStatus.CLOSED);
        }
      }
    }
  }

  @Test
  void gigMarketsReportTheirWorkersAndJobsAfterTheFirstReportOfTheDay() {
    LocalDate june30 = LocalDate.of(2026, 6, 30);
    Map<String, Integer> workers = new HashMap<>();
    for (MarketEvent e : reports) {
      if (!e.marketType().code().equals("gig")) {
        assertThat(e.workersRegistered()).isEqualTo(MarketEvent.ABSENT);
        continue;
      }
      assertThat(e.workersRegistered()).isPositive();
      if (time(e).getHour() == 8) {
        assertThat(e.jobsMatched()).isEqualTo(MarketEvent.ABSENT);
      } else {
        assertThat(e.jobsMatched()).isNotNegative();
      }
      if (date(e).equals(june30)) {
        workers.put(e.marketId(), e.workersRegistered());
      }
    }
    assertThat(workers).hasSize(19);
    assertThat(workers.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(2_750);
  }

  @Test
  void julyOccupancyIsHighButNotFull() {
    long occupied = 0;
    long total = 0;
    for (MarketEvent e : reports) {
      if (date(e).getMonthValue() == 7
          && date(e).getYear() == 2026
          && !e.marketType().code().equals("gig")) {
        occupied += e.stallsOccupied();
        total += e.stallsTotal();
      }
    }
    assertThat((double) occupied / total).isBetween(0.70, 0.95);
  }
}
