package cn.xingan.kpi.market;

import static org.assertj.core.api.Assertions.assertThat;

import cn.xingan.kpi.events.MarketEvent;
import cn.xingan.kpi.events.MarketStatus;
import cn.xingan.kpi.events.MarketType;
import cn.xingan.kpi.kpi.DaySlice;
import cn.xingan.kpi.kpi.ScopeKey;
import cn.xingan.kpi.kpi.Slices;
import cn.xingan.kpi.periods.CalendarPeriods;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/**
 * kpi_market rows worked out by hand: occupancy sums, per-market peaks, status and gig workers by
 * each market's latest report, whatever order the reports arrive in; and nothing left behind.
 */
class MarketKpiFunctionTest {
  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  private static final Duration LATENESS = Duration.ofDays(7);
  private static final Duration EMIT = Duration.ofSeconds(10);
  private static final ScopeKey LEAGUE = ScopeKey.league();
  private static final int NONE = MarketEvent.ABSENT;

  private static MarketEvent report(
      String id,
      String market,
      MarketType type,
      String localTime,
      MarketStatus status,
      int total,
      int occupied,
      int workers,
      int jobs) {
    long t = LocalDateTime.parse(localTime).atZone(SHANGHAI).toInstant().toEpochMilli();
    return new MarketEvent(
        id, t, market, "Market " + market, "ulanhot", type, status, total, occupied, workers, jobs);
  }

  private static MarketEvent night(String id, String time, MarketStatus s, int total, int occ) {
    return report(id, "m-a", MarketType.NIGHT, time, s, total, occ, NONE, NONE);
  }

  /**
   * The week Mon 2026-06-15 .. Sun 06-21 and one report in the next week (06-22), all in June.
   *
   * <ul>
   *   <li>A (night): 250 and 280 of 300 on Monday evening, upgrading (0 of 0) on Tuesday; operating
   *       again with 260 of 300 on Monday 06-22.
   *   <li>B (gig): 30/40 with 100 workers and 5 jobs; 35/40 with 110 workers; 20/40 with no workers
   *       figure and 3 jobs, the latest of the week.
   *   <li>C (morning): 90 of 100 operating on Tuesday, closed (0 of 0) on Wednesday.
   *   <li>D (gig): on Thursday 10/20 with 65 workers at 08:00, 15/20 with 70 workers at 12:00; 2
   *       and 4 jobs.
   * </ul>
   */
  private static List<MarketEvent> june() {
    MarketStatus op = MarketStatus.OPERATING;
    return List.of(
        night("a1", "2026-06-15T19:30:00", op, 300, 250),
        night("a2", "2026-06-15T21:00:00", op, 300, 280),
        night("a3", "2026-06-16T21:00:00", MarketStatus.UPGRADING, 0, 0),
        night("a4", "2026-06-22T19:30:00", op, 300, 260),
        report("b1", "m-b", MarketType.GIG, "2026-06-15T08:00:00", op, 40, 30, 100, 5),
        report("b2", "m-b", MarketType.GIG, "2026-06-16T12:00:00", op, 40, 35, 110, NONE),
        report("b3", "m-b", MarketType.GIG, "2026-06-17T08:00:00", op, 40, 20, NONE, 3),
        report("c1", "m-c", MarketType.MORNING, "2026-06-16T06:00:00", op, 100, 90, NONE, NONE),
        report(
            "c2",
            "m-c",
            MarketType.MORNING,
            "2026-06-17T06:00:00",
            MarketStatus.CLOSED,
            0,
            0,
            NONE,
            NONE),
        report("d1", "m-d", MarketType.GIG, "2026-06-18T08:00:00", op, 20, 10, 65, 2),
        report("d2", "m-d", MarketType.GIG, "2026-06-18T12:00:00", op, 20, 15, 70, 4));
  }

  private static KeyedOneInputStreamOperatorTestHarness<
          ScopeKey, DaySlice<MarketKpiAccumulator>, MarketKpiRow>
      harness() throws Exception {
    var h =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(
                new MarketKpiFunction(new CalendarPeriods(SHANGHAI), LATENESS, EMIT)),
            DaySlice::scope,
            TypeInformation.of(ScopeKey.class));
    h.open();
    return h;
  }

  private static void feed(
      KeyedOneInputStreamOperatorTestHarness<ScopeKey, DaySlice<MarketKpiAccumulator>, MarketKpiRow>
          h,
      List<MarketEvent> reports)
      throws Exception {
    for (MarketEvent e : reports) {
      h.processElement(
          new StreamRecord<>(
              Slices.of(LEAGUE, e, new MarketScopes(), new CalendarPeriods(SHANGHAI)),
              e.eventTime()));
    }
  }

  private static List<MarketKpiRow> rows(
      KeyedOneInputStreamOperatorTestHarness<ScopeKey, DaySlice<MarketKpiAccumulator>, MarketKpiRow>
          h) {
    List<MarketKpiRow> out = h.extractOutputValues();
    h.getOutput().clear();
    return out;
  }

  private static MarketKpiRow find(List<MarketKpiRow> rows, String period, LocalDate start) {
    return rows.stream()
        .filter(r -> r.period().equals(period) && r.periodStart().equals(start))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + period + " row from " + start + ": " + rows));
  }

  /** The final rows of June's reports, fed in the given order. */
  private static List<MarketKpiRow> finalRows(List<MarketEvent> order) throws Exception {
    var h = harness();
    h.setProcessingTime(1_000);
    feed(h, order);
    h.processWatermark(Long.MAX_VALUE);
    List<MarketKpiRow> out = rows(h);
    assertThat(h.numKeyedStateEntries()).isZero();
    assertThat(h.numEventTimeTimers()).isZero();
    assertThat(h.numProcessingTimeTimers()).isZero();
    h.close();
    return out;
  }

  private static void assertFigures(
      MarketKpiRow r,
      int markets,
      long observations,
      long occupiedSum,
      long totalSum,
      long peak,
      int operating,
      int upgrading,
      int closed,
      long workers,
      long jobs) {
    assertThat(r.marketsReporting()).as("markets_reporting").isEqualTo(markets);
    assertThat(r.observations()).as("observations").isEqualTo(observations);
    assertThat(r.stallsOccupiedSum()).as("stalls_occupied_sum").isEqualTo(occupiedSum);
    assertThat(r.stallsTotalSum()).as("stalls_total_sum").isEqualTo(totalSum);
    assertThat(r.stallsOccupiedPeak()).as("stalls_occupied_peak").isEqualTo(peak);
    assertThat(r.marketsOperating()).as("markets_operating").isEqualTo(operating);
    assertThat(r.marketsUpgrading()).as("markets_upgrading").isEqualTo(upgrading);
    assertThat(r.marketsClosed()).as("markets_closed").isEqualTo(closed);
    assertThat(r.workersRegisteredLatest()).as("workers_registered_latest").isEqualTo(workers);
    assertThat(r.jobsMatched()).as("jobs_matched").isEqualTo(jobs);
    assertThat(r.events()).isEqualTo(observations);
  }

  private static void assertJune(List<MarketKpiRow> rows) {
    // 4 periods hold all 11 reports (half month Jun 16-30 misses a1, a2, b1); 2 weeks; 7 rows.
    assertThat(rows).hasSize(7).allMatch(MarketKpiRow::isFinal);
    // Week 06-15: occupied 250+280+0 +30+35+20 +90+0 +10+15 = 730, total 300+300+0 +40*3 +100+0
    // +20*2 = 860; peaks 280+35+90+15 = 420; latest: A upgrading, B operating (b3, no workers
    // figure: 0), C closed, D operating with 70 (d2 is later than d1); jobs 5+3+2+4 = 14.
    MarketKpiRow week = find(rows, "week", LocalDate.of(2026, 6, 15));
    assertFigures(week, 4, 10, 730, 860, 420, 2, 1, 1, 70, 14);
    assertThat(week.periodEnd()).isEqualTo(LocalDate.of(2026, 6, 21));
    assertThat(week.version()).isEqualTo(21);
    // Week 06-22: only a4.
    assertFigures(
        find(rows, "week", LocalDate.of(2026, 6, 22)), 1, 1, 260, 300, 260, 1, 0, 0, 0, 0);
    // Month: A's latest is now a4 (operating); its peak stays 280.
    MarketKpiRow month = find(rows, "month", LocalDate.of(2026, 6, 1));
    assertFigures(month, 4, 11, 990, 1160, 420, 3, 0, 1, 70, 14);
    assertThat(month.version()).isEqualTo(23);
    // Half month Jun 16-30 without a1, a2 and b1: occupied 990-250-280-30 = 430, total
    // 1160-300-300-40 = 520; peaks A 260 (a4), B 35, C 90, D 15 = 400; jobs 3+2+4 = 9.
    assertFigures(
        find(rows, "half_month", LocalDate.of(2026, 6, 16)), 4, 8, 430, 520, 400, 3, 0, 1, 70, 9);
    assertFigures(
        find(rows, "quarter", LocalDate.of(2026, 4, 1)), 4, 11, 990, 1160, 420, 3, 0, 1, 70, 14);
    assertFigures(
        find(rows, "year", LocalDate.of(2026, 1, 1)), 4, 11, 990, 1160, 420, 3, 0, 1, 70, 14);
  }

  @Test
  void juneInTimeOrder() throws Exception {
    List<MarketEvent> inOrder = new ArrayList<>(june());
    inOrder.sort((x, y) -> Long.compare(x.eventTime(), y.eventTime()));
    assertJune(finalRows(inOrder));
  }

  @Test
  void juneInReverseAndShuffledOrders() throws Exception {
    List<MarketEvent> reversed = new ArrayList<>(june());
    reversed.sort((x, y) -> Long.compare(y.eventTime(), x.eventTime()));
    assertJune(finalRows(reversed));
    Random random = new Random(42);
    for (int i = 0; i < 20; i++) {
      List<MarketEvent> shuffled = new ArrayList<>(june());
      Collections.shuffle(shuffled, random);
      assertJune(finalRows(shuffled));
    }
  }

  @Test
  void aTieOnEventTimeGoesToTheGreaterEventIdInAnyOrder() throws Exception {
    MarketEvent open = night("x-1", "2026-06-15T21:00:00", MarketStatus.OPERATING, 300, 280);
    MarketEvent closed = night("x-2", "2026-06-15T21:00:00", MarketStatus.CLOSED, 0, 0);
    for (List<MarketEvent> order : List.of(List.of(open, closed), List.of(closed, open))) {
      MarketKpiRow week = find(finalRows(order), "week", LocalDate.of(2026, 6, 15));
      assertFigures(week, 1, 2, 280, 300, 280, 0, 0, 1, 0, 0);
    }
  }

  @Test
  void rollingRowsFollowTheLatestReportThenAFinalRowAndNothingLeft() throws Exception {
    var h = harness();
    h.setProcessingTime(1_000);
    List<MarketEvent> reports = june();
    feed(h, List.of(reports.get(0), reports.get(1))); // a1, a2
    h.setProcessingTime(10_000);
    List<MarketKpiRow> rolling = rows(h);
    // week, half_month (Jun 1-15), month, quarter, year
    assertThat(rolling).hasSize(5).noneMatch(MarketKpiRow::isFinal).allMatch(r -> r.version() == 4);
    assertFigures(
        find(rolling, "week", LocalDate.of(2026, 6, 15)), 1, 2, 530, 600, 280, 1, 0, 0, 0, 0);

    feed(h, List.of(reports.get(2))); // a3: upgrading
    h.setProcessingTime(20_000);
    List<MarketKpiRow> next = rows(h);
    // a3 falls in the half month Jun 16-30 (a new row), not in Jun 1-15 (unchanged, not re-sent).
    assertThat(next)
        .hasSize(5)
        .allMatch(
            r ->
                !r.periodStart().equals(LocalDate.of(2026, 6, 1))
                    || !r.period().equals("half_month"));
    assertFigures(
        find(next, "week", LocalDate.of(2026, 6, 15)), 1, 3, 530, 600, 280, 0, 1, 0, 0, 0);
    assertThat(find(next, "week", LocalDate.of(2026, 6, 15)).version()).isEqualTo(6);

    h.setProcessingTime(30_000);
    assertThat(rows(h)).isEmpty();
    assertThat(h.numProcessingTimeTimers()).isZero();

    h.processWatermark(Long.MAX_VALUE);
    assertThat(rows(h)).hasSize(6).allMatch(MarketKpiRow::isFinal);
    assertThat(h.numKeyedStateEntries()).isZero();
    assertThat(h.numEventTimeTimers()).isZero();
    assertThat(h.numProcessingTimeTimers()).isZero();
    h.close();
  }

  @Test
  void theAccumulatorIsAPojoWithoutGenericFieldsAndSurvivesSerialization() throws Exception {
    TypeInformation<MarketKpiAccumulator> type = TypeInformation.of(MarketKpiAccumulator.class);
    assertThat(type).isInstanceOf(PojoTypeInfo.class);
    PojoTypeInfo<MarketKpiAccumulator> pojo = (PojoTypeInfo<MarketKpiAccumulator>) type;
    for (int i = 0; i < pojo.getArity(); i++) {
      assertThat(pojo.getTypeAt(i))
          .as("field %s", pojo.getPojoFieldAt(i).getField().getName())
          .isNotInstanceOf(GenericTypeInfo.class);
    }

    MarketKpiAccumulator a = new MarketKpiAccumulator();
    MarketKpiFunction f = new MarketKpiFunction(new CalendarPeriods(SHANGHAI), LATENESS, EMIT);
    for (MarketEvent e : june()) {
      a.add(e);
      a.events++;
    }
    TypeSerializer<MarketKpiAccumulator> serializer =
        type.createSerializer(new ExecutionConfig().getSerializerConfig());
    DataOutputSerializer out = new DataOutputSerializer(256);
    serializer.serialize(a, out);
    MarketKpiAccumulator copy =
        serializer.deserialize(new DataInputDeserializer(out.getSharedBuffer(), 0, out.length()));
    var period = cn.xingan.kpi.periods.PeriodKind.MONTH.of(LocalDate.of(2026, 6, 1));
    assertThat(f.row(LEAGUE, period, copy, true, 0L)).isEqualTo(f.row(LEAGUE, period, a, true, 0L));
    assertFigures(f.row(LEAGUE, period, copy, true, 0L), 4, 11, 990, 1160, 420, 3, 0, 1, 70, 14);
  }
}
