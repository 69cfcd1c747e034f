package cn.xingan.kpi.kpi;

import cn.xingan.kpi.periods.CalendarDay;
import cn.xingan.kpi.periods.CalendarDays;
import cn.xingan.kpi.periods.Finality;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.flink.api.common.operators.ProcessingTimeService.ProcessingTimeCallback;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * The local half of a local-global aggregation (Flink's {@code LocalSlicingWindowAggOperator} and
 * mini-batch {@code MapBundleOperator}): chained before the shuffle, it adds each event to the
 * {@link DaySlice} of every scope it counts in and sends only the slices on, so what crosses the
 * network per batch is one slice per (scope key, local day) touched instead of every event once per
 * scope. The keyed {@link RollingPeriodFunction} merges the slices into its periods.
 *
 * <p>A batch is flushed
 *
 * <ul>
 *   <li>before a watermark that could make one of its days' periods final is passed on, so the
 *       final row of a period holds every event that was in time for it;
 *   <li>before a checkpoint barrier ({@code prepareSnapshotPreBarrier}), so the buffer is never
 *       part of a checkpoint and needs no state: a restore replays its events from the source;
 *   <li>when it holds {@code maxSlices} slices, which bounds memory;
 *   <li>on every multiple of {@code flushInterval} of processing time in unbounded runs, so rolling
 *       rows stay fresh while the watermark stands still;
 *   <li>at the end of input.
 * </ul>
 */
public final class PreAggregate<E, ACC extends PeriodAccumulator>
    extends AbstractStreamOperator<DaySlice<ACC>>
    implements OneInputStreamOperator<E, DaySlice<ACC>>, BoundedOneInput, ProcessingTimeCallback {
  private static final long serialVersionUID = 1L;

  private final SliceFigures<E, ACC> figures;
  private final Finality finality;
  private final int maxSlices;
  private final Long flushIntervalMillis;

  private transient CalendarDays days;

  /**
   * The batch's slices by day start, then scope, then key: a slice is found by the {@link
   * ScopeKey}'s parts, so nothing is made per event and scope (a {@code ScopeKey} and a boxed day
   * each were a third of the backfill's allocations).
   */
  private transient Map<Long, Map<String, Map<String, ACC>>> batch;

  /** The day the last event fell on, and its slices (most events share the previous one's day). */
  private transient CalendarDay day;

  private transient Map<String, Map<String, ACC>> dayScopes;
  private transient Adder adder;
  private transient int slices;
  private transient long flushBefore;
  private transient StreamRecord<DaySlice<ACC>> reuse;

  /**
   * @param flushInterval the longest a slice waits in processing time; {@code null} in bounded runs
   */
  public PreAggregate(
      SliceFigures<E, ACC> figures, Finality finality, int maxSlices, Duration flushInterval) {
    if (maxSlices < 1) {
      throw new IllegalArgumentException("maxSlices = " + maxSlices + ", expected 1 or more");
    }
    this.figures = figures;
    this.finality = finality;
    this.maxSlices = maxSlices;
    this.flushIntervalMillis = flushInterval == null ? null : flushInterval.toMillis();
  }

  @Override
  public void open() throws Exception {
    super.open();
    days = new CalendarDays(finality);
    batch = new HashMap<>();
    adder = new Adder();
    flushBefore = Long.MAX_VALUE;
    reuse = new StreamRecord<>(null);
    if (flushIntervalMillis != null) {
      // on multiples of the interval: the rolling emits are on multiples of the emit interval
      long now = getProcessingTimeService().getCurrentProcessingTime();
      getProcessingTimeService()
          .registerTimer((now / flushIntervalMillis + 1) * flushIntervalMillis, this);
    }
  }

  @Override
  public void processElement(StreamRecord<E> record) {
    E event = record.getValue();
    CalendarDay eventDay = days.of(figures.eventTime(event));
    if (eventDay != day) {
      day = eventDay;
      dayScopes = batch.computeIfAbsent(eventDay.startMillis(), start -> new HashMap<>(8));
    }
    adder.event = event;
    adder.id = figures.eventId(event);
    figures.scopes(event, adder);
    if (slices >= maxSlices) {
      flush();
    }
  }

  /** Adds the pending event to the slice of each scope it counts in, on {@link #day}. */
  private final class Adder implements SliceFigures.ScopeConsumer {
    private E event;
    private String id;

    @Override
    public void accept(String scope, String key) {
      Map<String, ACC> byKey = dayScopes.computeIfAbsent(scope, s -> new HashMap<>());
      ACC acc = byKey.get(key);
      if (acc == null) {
        acc = figures.create();
        byKey.put(key, acc);
        slices++;
        flushBefore = Math.min(flushBefore, day.earliestFinalAt());
      }
      figures.add(acc, event);
      acc.events++;
      acc.lastEvent = id;
    }
  }

  @Override
  public void processWatermark(Watermark mark) throws Exception {
    if (mark.getTimestamp() >= flushBefore) {
      flush();
    }
    super.processWatermark(mark);
  }

  @Override
  public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
    super.prepareSnapshotPreBarrier(checkpointId);
    flush();
  }

  @Override
  public void onProcessingTime(long time) {
    flush();
    getProcessingTimeService().registerTimer(time + flushIntervalMillis, this);
  }

  @Override
  public void endInput() {
    flush();
  }

  @Override
  public void finish() throws Exception {
    flush();
    super.finish();
  }

  private void flush() {
    if (slices == 0) {
      return;
    }
    for (Map.Entry<Long, Map<String, Map<String, ACC>>> inDay : batch.entrySet()) {
      long dayStart = inDay.getKey();
      for (Map.Entry<String, Map<String, ACC>> scope : inDay.getValue().entrySet()) {
        for (Map.Entry<String, ACC> key : scope.getValue().entrySet()) {
          ScopeKey scopeKey = new ScopeKey(scope.getKey(), key.getKey());
          output.collect(reuse.replace(new DaySlice<>(scopeKey, dayStart, key.getValue())));
        }
      }
    }
    batch.clear();
    day = null;
    dayScopes = null;
    slices = 0;
    flushBefore = Long.MAX_VALUE;
  }
}
