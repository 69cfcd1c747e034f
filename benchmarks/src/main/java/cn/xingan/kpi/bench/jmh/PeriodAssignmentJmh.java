package cn.xingan.kpi.bench.jmh;

import cn.xingan.kpi.local.generate.GeneratedEvent;
import cn.xingan.kpi.local.generate.ServiceTransactionGenerator;
import cn.xingan.kpi.periods.CalendarDay;
import cn.xingan.kpi.periods.CalendarDays;
import cn.xingan.kpi.periods.CalendarPeriods;
import cn.xingan.kpi.periods.Finality;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What caching the local day saves per event: the job's three per-event period questions asked of
 * {@link CalendarDays} (one instance per operator, as in the job) against the same answers computed
 * from scratch with {@link CalendarPeriods} and {@link Finality} (zone conversion and the five
 * periods every time), as the job did before the cache.
 *
 * <p>Per event the job asks, in this order:
 *
 * <ul>
 *   <li>{@code AdmitEvents}: is the event late at the watermark (and when it became final, if so);
 *   <li>{@code DropDuplicates}: when its first period is final (how long to remember its id);
 *   <li>{@code PreAggregate}: the start of its local day (the slice key) and when the slice's first
 *       period is final (when a watermark must flush it).
 * </ul>
 *
 * {@code RollingPeriodFunction} asks for the day's five periods once per slice, not per event, so
 * it is left out.
 *
 * <p>The event times are the generator's service events over three weeks (its daily rhythm), made
 * to arrive as a Kafka source sees them: 5% up to 5 minutes behind the newest (inside the default
 * {@code --out-of-orderness}), 0.5% up to 6 hours behind; the watermark trails the newest by 5
 * minutes. Zone Asia/Shanghai, allowed lateness 7 days (the defaults).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PeriodAssignmentJmh {
  static final int BATCH = 16384;
  private static final long OUT_OF_ORDERNESS = Duration.ofMinutes(5).toMillis();

  private long[] times;
  private long[] watermarks;
  private CalendarPeriods calendar;
  private Finality finality;
  private CalendarDays admit;
  private CalendarDays dedup;
  private CalendarDays preAggregate;

  /** Builds the stream and fails if the cached and the per-event answers differ for any event. */
  @Setup
  public void setUp() {
    calendar = new CalendarPeriods(ZoneId.of("Asia/Shanghai"));
    finality = new Finality(calendar, Duration.ofDays(7));
    admit = new CalendarDays(finality);
    dedup = new CalendarDays(finality);
    preAggregate = new CalendarDays(finality);
    List<GeneratedEvent> events =
        new ServiceTransactionGenerator(11, calendar.zone())
            .between(
                Instant.parse("2026-06-01T00:00:00Z"), Instant.parse("2026-06-22T00:00:00Z"), 30);
    if (events.size() < BATCH) {
      throw new IllegalStateException(
          "generated " + events.size() + " service events, expected at least " + BATCH);
    }
    Random random = new Random(11);
    times = new long[BATCH];
    watermarks = new long[BATCH];
    long newest = Long.MIN_VALUE;
    for (int i = 0; i < BATCH; i++) {
      long t = events.get((int) ((long) i * events.size() / BATCH)).eventTime().toEpochMilli();
      double r = random.nextDouble();
      if (r < 0.005) {
        t -= (long) (random.nextDouble() * Duration.ofHours(6).toMillis());
      } else if (r < 0.055) {
        t -= (long) (random.nextDouble() * OUT_OF_ORDERNESS);
      }
      times[i] = t;
      newest = Math.max(newest, t);
      watermarks[i] = newest - OUT_OF_ORDERNESS;
    }
    for (int i = 0; i < BATCH; i++) {
      long t = times[i];
      CalendarDay day = new CalendarDays(finality).of(t);
      if (day.isLate(watermarks[i]) != finality.isLate(t, watermarks[i])
          || day.earliestFinalAt() != finality.earliestFinalAt(t)
          || day.startMillis() != calendar.startOfDayMillis(calendar.localDate(t))) {
        throw new IllegalStateException(
            "CalendarDays and CalendarPeriods disagree on " + Instant.ofEpochMilli(t) + ": " + day);
      }
    }
  }

  /** What the job does now: each operator asks its own cache of local days. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void cachedDay(Blackhole bh) {
    for (int i = 0; i < BATCH; i++) {
      long t = times[i];
      CalendarDay day = admit.of(t);
      if (day.isLate(watermarks[i])) {
        bh.consume(day.earliestFinalAt());
      }
      bh.consume(dedup.of(t).earliestFinalAt());
      day = preAggregate.of(t);
      bh.consume(day.startMillis());
      bh.consume(day.earliestFinalAt());
    }
  }

  /** The same answers from the per-event API: a zone conversion and five periods per question. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public void perEventPeriods(Blackhole bh) {
    for (int i = 0; i < BATCH; i++) {
      long t = times[i];
      if (finality.isLate(t, watermarks[i])) {
        bh.consume(finality.earliestFinalAt(t));
      }
      bh.consume(finality.earliestFinalAt(t));
      bh.consume(calendar.startOfDayMillis(calendar.localDate(t)));
      bh.consume(finality.earliestFinalAt(t));
    }
  }
}
