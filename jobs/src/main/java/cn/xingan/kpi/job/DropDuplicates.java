package cn.xingan.kpi.job;

import cn.xingan.kpi.metrics.KpiMetrics;
import cn.xingan.kpi.periods.CalendarDays;
import cn.xingan.kpi.periods.CalendarPeriods;
import cn.xingan.kpi.periods.Finality;
import java.time.Duration;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.InternalTimer;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.operators.Triggerable;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.function.SerializableFunction;

/**
 * Drops repeats of an {@code event_id} (producers retry; the contract counts an event once) and
 * counts them in the metric {@code duplicates}. After a {@code keyBy} on the event id, it remembers
 * an id only as long as a repeat could still count: until the watermark passes the end of the
 * event's earliest period plus the allowed lateness (after that {@link AdmitEvents} rejects the
 * repeat as late), plus a margin for the watermark of this operator trailing the admitting one.
 * State is thus bounded by the events of about one period plus the lateness.
 *
 * <p>The ids are held in memory as 128-bit hashes ({@link RecentIds}, grouped by when they may be
 * forgotten, so a whole group goes at once) and checkpointed as operator union state, from which
 * each subtask takes the ids of its own key groups on restore, at any parallelism. Keyed state with
 * a timer per id, the earlier form, cost a third of the pipeline: a lookup, a write, a timer and
 * two deletes in RocksDB for every event, where a day's events all expire together.
 *
 * <p>A BATCH run (a backfill) uses {@link DropBatchDuplicates} instead, without a {@code keyBy}.
 *
 * <p>Checkpoints of the earlier forms restore into this one: the ids themselves in {@code
 * kept-ids}, and a {@code seen} flag per id with its timer (the flags become ids kept until their
 * timer fires).
 */
public final class DropDuplicates<E> extends AbstractStreamOperator<E>
    implements OneInputStreamOperator<E, E>, Triggerable<String, VoidNamespace> {
  private static final long serialVersionUID = 1L;
  static final Duration MARGIN = Duration.ofHours(1);

  /**
   * The ids held, as (kept until, [hash, hash, key group]…) chunks ({@link RecentIds#groups()});
   * every subtask restores all and keeps those of its own key groups.
   */
  private static final ListStateDescriptor<Tuple2<Long, long[]>> KEPT =
      new ListStateDescriptor<>(
          "kept-id-hashes", Types.TUPLE(Types.LONG, Types.PRIMITIVE_ARRAY(Types.LONG)));

  /** The form before hashes: (kept until, ids) groups of the ids themselves. */
  private static final ListStateDescriptor<Tuple2<Long, String[]>> KEPT_STRINGS =
      new ListStateDescriptor<>(
          "kept-ids", Types.TUPLE(Types.LONG, Types.OBJECT_ARRAY(Types.STRING)));

  /** The earlier form's flag per id, forgotten by its timer in {@link #LEGACY_TIMERS}. */
  private static final ValueStateDescriptor<Boolean> LEGACY_SEEN =
      new ValueStateDescriptor<>("seen", Types.BOOLEAN);

  /** The timer service name of the {@code KeyedProcessOperator} the earlier form ran in. */
  private static final String LEGACY_TIMERS = "user-timers";

  /**
   * Kept until the earlier form's timer fires; no watermark short of the end of input reaches it.
   */
  private static final long UNTIL_LEGACY_TIMER = Long.MAX_VALUE - 1;

  private final Finality finality;
  private final SerializableFunction<E, String> eventId;
  private final SerializableFunction<E, Long> eventTime;
  private final String stream;

  private transient CalendarDays days;
  private transient RecentIds ids;
  private transient ListState<Tuple2<Long, long[]>> checkpointed;
  private transient int maxParallelism;
  private transient Counter duplicates;

  /**
   * @param stream the stream's topic, the {@code stream} label of the {@code duplicates} metric
   */
  public DropDuplicates(
      CalendarPeriods calendar,
      Duration allowedLateness,
      SerializableFunction<E, String> eventId,
      SerializableFunction<E, Long> eventTime,
      String stream) {
    this.stream = stream;
    this.finality = new Finality(calendar, allowedLateness);
    this.eventId = eventId;
    this.eventTime = eventTime;
  }

  @Override
  public void initializeState(StateInitializationContext context) throws Exception {
    super.initializeState(context);
    ids = new RecentIds();
    maxParallelism = getRuntimeContext().getTaskInfo().getMaxNumberOfParallelSubtasks();
    checkpointed = context.getOperatorStateStore().getUnionListState(KEPT);
    ListState<Tuple2<Long, String[]>> strings =
        context.getOperatorStateStore().getUnionListState(KEPT_STRINGS);
    if (context.isRestored()) {
      var task = getRuntimeContext().getTaskInfo();
      var mine =
          KeyGroupRangeAssignment.computeKeyGroupRangeForOperatorIndex(
              maxParallelism, task.getNumberOfParallelSubtasks(), task.getIndexOfThisSubtask());
      for (Tuple2<Long, long[]> chunk : checkpointed.get()) {
        long[] held = chunk.f1;
        for (int i = 0; i < held.length; i += 3) {
          int keyGroup = (int) held[i + 2];
          if (mine.contains(keyGroup)) {
            ids.keepIfNew(held[i], held[i + 1], keyGroup, chunk.f0);
          }
        }
      }
      checkpointed.clear(); // the union of all subtasks' ids: not kept until the next checkpoint
      for (Tuple2<Long, String[]> group : strings.get()) {
        for (String id : group.f1) {
          keep(id, group.f0, mine);
        }
      }
      strings.clear(); // from now on in the hashed form only
      this.<String>getKeyedStateBackend()
          .applyToAllKeys(
              VoidNamespace.INSTANCE,
              VoidNamespaceSerializer.INSTANCE,
              LEGACY_SEEN,
              (String id, ValueState<Boolean> seen) -> {
                seen.clear();
                ids.keepIfNew(id, keyGroupOf(id), UNTIL_LEGACY_TIMER);
              });
    }
  }

  @Override
  public void open() throws Exception {
    super.open();
    days = new CalendarDays(finality);
    getInternalTimerService(LEGACY_TIMERS, VoidNamespaceSerializer.INSTANCE, this);
    duplicates = KpiMetrics.stream(getMetricGroup(), stream).counter(KpiMetrics.DUPLICATES);
  }

  @Override
  public void processElement(StreamRecord<E> element) throws Exception {
    String id = eventId.apply(element.getValue());
    long lateFrom = days.of(eventTime.apply(element.getValue())).earliestFinalAt();
    if (ids.keepIfNew(id, keyGroupOf(id), Finality.plus(lateFrom, MARGIN.toMillis()))) {
      output.collect(element);
    } else {
      duplicates.inc();
    }
  }

  @Override
  public void processWatermark(Watermark mark) throws Exception {
    ids.forgetUntil(mark.getTimestamp());
    super.processWatermark(mark);
  }

  @Override
  public void snapshotState(StateSnapshotContext context) throws Exception {
    super.snapshotState(context);
    checkpointed.update(ids.groups());
  }

  /**
   * Lets the ids go with the task, even while something still refers to the operator (the benchmark
   * measured a finished job's ids still reachable in the same JVM).
   */
  @Override
  public void close() throws Exception {
    ids = null;
    checkpointed.clear(); // the last checkpoint's copy of them
    super.close();
  }

  /** An earlier form's timer: its id is forgotten now, as it would have been. */
  @Override
  public void onEventTime(InternalTimer<String, VoidNamespace> timer) {
    ids.forget(timer.getKey());
  }

  @Override
  public void onProcessingTime(InternalTimer<String, VoidNamespace> timer) {}

  private void keep(String id, long until, KeyGroupRange mine) {
    int keyGroup = keyGroupOf(id);
    if (mine.contains(keyGroup)) {
      ids.keepIfNew(id, keyGroup, until);
    }
  }

  private int keyGroupOf(String id) {
    return KeyGroupRangeAssignment.assignToKeyGroup(id, maxParallelism);
  }

  /** For tests: how many ids are held. */
  int held() {
    return ids.size();
  }
}
