package cn.xingan.kpi.job;

import cn.xingan.kpi.events.Envelope;
import cn.xingan.kpi.events.EventStream;
import cn.xingan.kpi.events.MarketEvent;
import cn.xingan.kpi.events.Rejection;
import cn.xingan.kpi.events.ServiceEvent;
import cn.xingan.kpi.metrics.KpiMetrics;
import cn.xingan.kpi.periods.CalendarDay;
import cn.xingan.kpi.periods.CalendarDays;
import cn.xingan.kpi.periods.CalendarPeriods;
import cn.xingan.kpi.periods.Finality;
import cn.xingan.kpi.project.ProjectInput;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * The gate between decoding and the KPI functions: passes each decoded event to its stream's side
 * output and everything that may not count to the main output as a {@link Rejection} — records that
 * failed decoding, and events too late to count because one of their periods is already final (the
 * watermark passed its end plus the allowed lateness). Deciding lateness once, here, keeps an event
 * from counting in some of its scopes and not in others.
 */
public final class AdmitEvents extends ProcessFunction<Envelope, Rejection>
    implements CheckpointedFunction {
  private static final long serialVersionUID = 1L;

  public static final OutputTag<ServiceEvent> SERVICE = new OutputTag<>("service") {};
  public static final OutputTag<MarketEvent> MARKET = new OutputTag<>("market") {};
  public static final OutputTag<ProjectInput> PROJECT = new OutputTag<>("project") {};

  private final Finality finality;
  private final String input;

  /**
   * Counters by stream: at a stream's ordinal, and for records of no known stream at {@link
   * #inputSlot} (the input's stream's, or the last). Made when first needed. An array, not a map by
   * topic: the map's lookups were a tenth of a backfill's task thread (JFR).
   */
  private transient Counter[] eventsIn;

  private transient Counter[] bytesIn;
  private transient Counter[] late;
  private transient int inputSlot;
  private transient volatile long watermark;

  /**
   * The watermark at the last checkpoint. After a restore, Flink starts every operator's watermark
   * at its minimum again until the sources emit new ones; without it the first records after a
   * restart would be admitted even when their periods are already final (and were rejected as late
   * before the restart, or would be by a backfill). Union state: each subtask restores the least of
   * all subtasks' watermarks, which is right after a rescale too (it only admits more).
   */
  private transient ListState<Long> restoredState;

  private transient long restored = Long.MIN_VALUE;
  private transient CalendarDays days;

  /**
   * @param input the stream this operator admits (its topic), or a name for mixed input (backfill
   *     files): the {@code stream} label of records whose own stream is unknown
   */
  public AdmitEvents(CalendarPeriods calendar, Duration allowedLateness, String input) {
    this(new Finality(calendar, allowedLateness), input);
  }

  public AdmitEvents(Finality finality, String input) {
    this.finality = finality;
    this.input = input;
  }

  @Override
  public void open(OpenContext openContext) {
    days = new CalendarDays(finality);
    int slots = EventStream.values().length + 1;
    eventsIn = new Counter[slots];
    bytesIn = new Counter[slots];
    late = new Counter[slots];
    EventStream own = EventStream.byTopic(input);
    inputSlot = own == null ? slots - 1 : own.ordinal();
    KpiMetrics.stream(getRuntimeContext().getMetricGroup(), input)
        .gauge(KpiMetrics.WATERMARK_LAG_MS, this::watermarkLag);
  }

  /** Wall clock minus the watermark; -1 before the first watermark and after the last. */
  private long watermarkLag() {
    long w = watermark;
    return w == Long.MIN_VALUE || w == Long.MAX_VALUE ? -1 : System.currentTimeMillis() - w;
  }

  private Counter counter(Counter[] counters, EventStream stream, String name) {
    int slot = stream == null ? inputSlot : stream.ordinal();
    Counter c = counters[slot];
    if (c == null) {
      String label = stream == null ? input : stream.topic();
      c = KpiMetrics.stream(getRuntimeContext().getMetricGroup(), label).counter(name);
      counters[slot] = c;
    }
    return c;
  }

  @Override
  public void snapshotState(FunctionSnapshotContext context) throws Exception {
    restoredState.update(List.of(Math.max(restored, watermark)));
  }

  @Override
  public void initializeState(FunctionInitializationContext context) throws Exception {
    restoredState =
        context
            .getOperatorStateStore()
            .getUnionListState(new ListStateDescriptor<>("admit-watermark", Types.LONG));
    watermark = Long.MIN_VALUE;
    if (context.isRestored()) {
      long least = Long.MAX_VALUE;
      for (Long w : restoredState.get()) {
        least = Math.min(least, w);
      }
      restored = least == Long.MAX_VALUE ? Long.MIN_VALUE : least;
    }
  }

  @Override
  public void processElement(Envelope e, Context ctx, Collector<Rejection> out) {
    EventStream stream = e.stream();
    counter(eventsIn, stream, KpiMetrics.EVENTS_IN).inc();
    counter(bytesIn, stream, KpiMetrics.BYTES_IN).inc(e.sizeBytes());
    watermark = Math.max(restored, ctx.timerService().currentWatermark());
    if (e.isRejected()) {
      out.collect(e.rejection());
      return;
    }
    long watermark = this.watermark;
    CalendarDay day = days.of(e.eventTime());
    if (day.isLate(watermark)) {
      long finalAt = day.earliestFinalAt();
      counter(late, stream, KpiMetrics.LATE).inc();
      out.collect(
          e.origin()
              .reject(
                  System.currentTimeMillis(),
                  e.eventId(),
                  Rejection.LATE,
                  "event_time "
                      + Instant.ofEpochMilli(e.eventTime())
                      + " falls in a period that became final at "
                      + Instant.ofEpochMilli(finalAt)
                      + " (period end plus --allowed-lateness); the watermark is at "
                      + Instant.ofEpochMilli(watermark)));
      return;
    }
    if (e.stream() == EventStream.SERVICE_TRANSACTIONS) {
      ctx.output(SERVICE, e.service());
    } else if (e.stream() == EventStream.MARKET_STALL_COUNTS) {
      ctx.output(MARKET, e.market());
    } else if (e.stream() == EventStream.PROJECT_PROGRESS) {
      ctx.output(PROJECT, new ProjectInput(e.project(), e.origin()));
    }
  }
}
