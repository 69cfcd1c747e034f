package cn.xingan.kpi.job;

import static org.assertj.core.api.Assertions.assertThat;

import cn.xingan.kpi.periods.CalendarPeriods;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.runtime.state.StateSnapshotContext;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Repeats of an event id are dropped, and an id is forgotten once a repeat would be late. */
class DropDuplicatesTest {
  /** An event is "id@instant"; its time is the instant. */
  private static long time(String e) {
    return at(e.substring(e.indexOf('@') + 1));
  }

  private static KeyedOneInputStreamOperatorTestHarness<String, String, String> harness()
      throws Exception {
    var h = harness(1, 0);
    h.open();
    return h;
  }

  /** A harness for one of {@code parallelism} subtasks, not yet set up or opened. */
  private static KeyedOneInputStreamOperatorTestHarness<String, String, String> harness(
      int parallelism, int subtask) throws Exception {
    return new KeyedOneInputStreamOperatorTestHarness<>(
        dropDuplicates(),
        DropDuplicatesTest::id,
        Types.STRING,
        MAX_PARALLELISM,
        parallelism,
        subtask);
  }

  private static <H extends KeyedOneInputStreamOperatorTestHarness<String, String, String>> H on(
      String backend, H h) {
    h.setStateBackend(
        backend.equals("rocksdb") ? new EmbeddedRocksDBStateBackend() : new HashMapStateBackend());
    return h;
  }

  /** One of {@code parallelism} subtasks on the backend, restored from the state and opened. */
  private static KeyedOneInputStreamOperatorTestHarness<String, String, String> restored(
      String backend, int parallelism, int subtask, OperatorSubtaskState state) throws Exception {
    var h = on(backend, harness(parallelism, subtask));
    h.initializeState(state);
    h.open();
    return h;
  }

  /** Subtask {@code subtask} of two, restored from a checkpoint taken at parallelism 1. */
  private static KeyedOneInputStreamOperatorTestHarness<String, String, String> restoredAtTwo(
      String backend, int subtask, OperatorSubtaskState atOne) throws Exception {
    return restored(
        backend,
        2,
        subtask,
        AbstractStreamOperatorTestHarness.repartitionOperatorState(
            atOne, MAX_PARALLELISM, 1, 2, subtask));
  }

  /** Whether the keyBy routes an id to this subtask of two. */
  private static Predicate<String> ofSubtaskOfTwo(int subtask) {
    var range =
        KeyGroupRangeAssignment.computeKeyGroupRangeForOperatorIndex(MAX_PARALLELISM, 2, subtask);
    return id -> range.contains(KeyGroupRangeAssignment.assignToKeyGroup(id, MAX_PARALLELISM));
  }

  private static long at(String instant) {
    return Instant.parse(instant).toEpochMilli();
  }

  private static DropDuplicates<String> dropDuplicates() {
    return new DropDuplicates<>(
        new CalendarPeriods(ZoneId.of("Asia/Shanghai")),
        Duration.ofDays(7),
        DropDuplicatesTest::id,
        DropDuplicatesTest::time,
        "service-transactions");
  }

  private static final int MAX_PARALLELISM = 128;

  private static String id(String e) {
    return e.substring(0, e.indexOf('@'));
  }

  private static int held(KeyedOneInputStreamOperatorTestHarness<String, String, String> h) {
    return ((DropDuplicates<?>) h.getOperator()).held();
  }

  private static void send(
      KeyedOneInputStreamOperatorTestHarness<String, String, String> h, String e) throws Exception {
    h.processElement(new StreamRecord<>(e, time(e)));
  }

  @Test
  void repeatsAreDroppedAndIdsForgottenAfterLatenessPlusMargin() throws Exception {
    var h = harness();
    // Wednesday 2026-06-10 10:00 local; its week (06-08..06-14) ends first, at 06-14T16:00Z.
    send(h, "a@2026-06-10T02:00:00Z");
    send(h, "a@2026-06-10T02:00:00Z");
    send(h, "b@2026-06-10T03:00:00Z");
    send(h, "a@2026-06-11T02:00:00Z"); // same id, other content: still a repeat
    assertThat(h.extractOutputValues())
        .containsExactly("a@2026-06-10T02:00:00Z", "b@2026-06-10T03:00:00Z");
    assertThat(held(h)).isEqualTo(2);

    // Week end + 7 days + 1 hour margin = 2026-06-21T17:00Z: kept until then.
    long forget = at("2026-06-21T17:00:00Z");
    h.processWatermark(forget - 1);
    assertThat(held(h)).isEqualTo(2);
    h.processWatermark(forget);
    assertThat(held(h)).isZero();
    h.close();
  }

  /**
   * A year of one new id an hour, the watermark an hour behind: an id at time t is kept until the
   * end of its earliest period (at most 7 days on) + 7 days + the 1 h margin, so with the watermark
   * at T − 1 h only ids from (T − 14 d − 2 h, T] can be held — at most 14 × 24 + 2 = 338 — and
   * every id from the last 7 days is still held (≥ 7 × 24 = 168), so repeats within the lateness
   * are still caught. The state never grows with the length of the stream.
   */
  @Test
  void stateStaysBoundedOverAYearOfEvents() throws Exception {
    var h = harness();
    Instant start = Instant.parse("2026-01-01T00:00:00Z");
    int max = 0;
    int min = Integer.MAX_VALUE;
    for (int hour = 0; hour < 365 * 24; hour++) {
      Instant t = start.plusSeconds(3600L * hour);
      send(h, "id-" + hour + "@" + t);
      send(h, "id-" + hour + "@" + t); // a repeat: dropped, no new state
      h.processWatermark(t.toEpochMilli() - 3_600_000);
      int held = held(h);
      max = Math.max(max, held);
      if (hour >= 14 * 24) {
        min = Math.min(min, held);
      }
    }
    assertThat(h.extractOutputValues()).hasSize(365 * 24);
    assertThat(max).as("ids held at most").isLessThanOrEqualTo(14 * 24 + 2);
    assertThat(min).as("ids held at least, once running").isGreaterThanOrEqualTo(7 * 24);
    h.processWatermark(Long.MAX_VALUE);
    assertThat(held(h)).isZero();
    h.close();
  }

  /**
   * A checkpoint taken at parallelism 1 restored at parallelism 2, and theirs at 1 again: each of
   * the two subtasks holds exactly the ids of its key groups (together every id once) and drops a
   * repeat of any id its key sends it; merged again, one subtask holds them all. Each id is still
   * forgotten when its own time comes: those of Wednesday 06-10 at 06-21T17:00Z (week end + 7 days
   * + 1 h), those of Tuesday 06-16 a week later, at 06-28T17:00Z.
   */
  @ParameterizedTest(name = "state backend {0}")
  @ValueSource(strings = {"hashmap", "rocksdb"})
  void idsSurviveRestoresAtAnotherParallelism(String backend) throws Exception {
    var before = on(backend, harness(1, 0));
    before.open();
    List<String> events = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      events.add("id-" + i + (i % 2 == 0 ? "@2026-06-10T02:00:00Z" : "@2026-06-16T02:00:00Z"));
    }
    for (String e : events) {
      send(before, e);
    }
    OperatorSubtaskState atOne = before.snapshot(1, 1);
    before.close();

    List<Integer> parts = new ArrayList<>();
    OperatorSubtaskState[] atTwo = new OperatorSubtaskState[2];
    for (int subtask = 0; subtask < 2; subtask++) {
      var after = restoredAtTwo(backend, subtask, atOne);
      Predicate<String> idHere = ofSubtaskOfTwo(subtask);
      Predicate<String> routedHere = e -> idHere.test(id(e));
      List<String> mine = events.stream().filter(routedHere).toList();
      assertThat(held(after)).isEqualTo(mine.size());
      for (String e : mine) {
        send(after, e);
      }
      String fresh =
          IntStream.range(0, 100)
              .mapToObj(i -> "new-" + i + "@2026-06-10T02:00:00Z")
              .filter(routedHere)
              .findFirst()
              .orElseThrow();
      send(after, fresh);
      assertThat(after.extractOutputValues()).containsExactly(fresh);
      parts.add(mine.size());
      atTwo[subtask] = after.snapshot(2, 2);
      after.close();
    }
    assertThat(parts).as("ids on each subtask").allMatch(n -> n > 0);
    assertThat(parts.get(0) + parts.get(1)).isEqualTo(40);

    var merged =
        restored(
            backend,
            1,
            0,
            AbstractStreamOperatorTestHarness.repartitionOperatorState(
                AbstractStreamOperatorTestHarness.repackageState(atTwo), MAX_PARALLELISM, 2, 1, 0));
    assertThat(held(merged)).isEqualTo(42); // the 40 and each subtask's fresh one
    for (String e : events) {
      send(merged, e);
    }
    assertThat(merged.extractOutputValues()).isEmpty();
    long wednesdayForgotten = at("2026-06-21T17:00:00Z");
    merged.processWatermark(wednesdayForgotten - 1);
    assertThat(held(merged)).isEqualTo(42);
    merged.processWatermark(wednesdayForgotten);
    assertThat(held(merged)).isEqualTo(20);
    merged.processWatermark(at("2026-06-28T17:00:00Z"));
    assertThat(held(merged)).isZero();
    merged.close();
  }

  /**
   * The earlier form kept a {@code seen} flag and a timer per id in a {@code KeyedProcessOperator}
   * (as {@link EarlierForm} here): its checkpoint restores into this one, repeats of its ids are
   * still dropped, and each id is forgotten when its old timer fires.
   */
  @ParameterizedTest(name = "state backend {0}")
  @ValueSource(strings = {"hashmap", "rocksdb"})
  void restoresACheckpointOfTheEarlierForm(String backend) throws Exception {
    var earlier =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new KeyedProcessOperator<>(new EarlierForm()),
            DropDuplicatesTest::id,
            Types.STRING,
            MAX_PARALLELISM,
            1,
            0);
    on(backend, earlier).open();
    send(earlier, "a@2026-06-10T02:00:00Z"); // its timer at 06-20T02:00Z
    send(earlier, "b@2026-06-12T02:00:00Z"); // at 06-22T02:00Z
    OperatorSubtaskState legacy = earlier.snapshot(1, 1);
    earlier.close();

    var h = restored(backend, 1, 0, legacy);
    assertThat(held(h)).isEqualTo(2);
    send(h, "a@2026-06-10T02:00:00Z");
    send(h, "c@2026-06-10T04:00:00Z"); // the new form's rule: until 06-21T17:00Z
    assertThat(h.extractOutputValues()).containsExactly("c@2026-06-10T04:00:00Z");
    OperatorSubtaskState mixed = h.snapshot(2, 2); // a and b until their old timers, c until 06-21
    h.close();

    var later = restored(backend, 1, 0, mixed);
    assertThat(held(later)).isEqualTo(3);
    later.processWatermark(at("2026-06-20T02:00:00Z"));
    assertThat(held(later)).as("a forgotten by its old timer").isEqualTo(2);
    send(later, "b@2026-06-12T02:00:00Z");
    send(later, "a@2026-06-10T02:00:00Z"); // held again, now until 06-21T17:00Z
    assertThat(later.extractOutputValues()).containsExactly("a@2026-06-10T02:00:00Z");
    later.processWatermark(at("2026-06-21T17:00:00Z"));
    assertThat(held(later)).as("b, until its old timer").isEqualTo(1);
    OperatorSubtaskState last = later.snapshot(3, 3);
    later.processWatermark(at("2026-06-22T02:00:00Z"));
    assertThat(held(later)).isZero();
    later.close();

    var again = restored(backend, 1, 0, last);
    assertThat(held(again)).isEqualTo(1);
    again.processWatermark(at("2026-06-22T02:00:00Z"));
    assertThat(held(again)).isZero();
    again.close();
  }

  /**
   * The form before hashes checkpointed the ids themselves as union state {@code kept-ids} (as
   * {@link StringForm} here): restored at parallelism 2, each subtask holds the ids of its key
   * groups, drops their repeats and forgets each at its old time; a checkpoint after that holds
   * them in the hashed form only.
   */
  @ParameterizedTest(name = "state backend {0}")
  @ValueSource(strings = {"hashmap", "rocksdb"})
  void restoresACheckpointOfTheStringForm(String backend) throws Exception {
    List<String> early = IntStream.range(0, 30).mapToObj(i -> "early-" + i).toList();
    List<String> late = IntStream.range(0, 10).mapToObj(i -> "late-" + i).toList();
    long earlyUntil = at("2026-06-21T17:00:00Z");
    long lateUntil = at("2026-06-28T17:00:00Z");
    var strings =
        new KeyedOneInputStreamOperatorTestHarness<>(
            new StringForm(
                List.of(
                    Tuple2.of(earlyUntil, early.toArray(String[]::new)),
                    Tuple2.of(lateUntil, late.toArray(String[]::new)))),
            DropDuplicatesTest::id,
            Types.STRING,
            MAX_PARALLELISM,
            1,
            0);
    on(backend, strings).open();
    OperatorSubtaskState before = strings.snapshot(1, 1);
    strings.close();

    int total = 0;
    for (int subtask = 0; subtask < 2; subtask++) {
      var h = restoredAtTwo(backend, subtask, before);
      Predicate<String> here = ofSubtaskOfTwo(subtask);
      int mineEarly = (int) early.stream().filter(here).count();
      int mineLate = (int) late.stream().filter(here).count();
      assertThat(held(h)).isEqualTo(mineEarly + mineLate);
      for (String id : early) {
        if (here.test(id)) {
          send(h, id + "@2026-06-10T02:00:00Z");
        }
      }
      assertThat(h.extractOutputValues()).as("repeats of restored ids").isEmpty();
      OperatorSubtaskState hashed = h.snapshot(2, 2);
      h.processWatermark(earlyUntil - 1);
      assertThat(held(h)).isEqualTo(mineEarly + mineLate);
      h.processWatermark(earlyUntil);
      assertThat(held(h)).isEqualTo(mineLate);
      h.close();

      var again = restored(backend, 2, subtask, hashed);
      assertThat(held(again)).as("restored from the hashed form").isEqualTo(mineEarly + mineLate);
      again.processWatermark(lateUntil);
      assertThat(held(again)).isZero();
      again.close();
      total += mineEarly + mineLate;
    }
    assertThat(total).isEqualTo(40);
  }

  /** The form before hashes, as far as its checkpoint goes: the ids in union state. */
  private static final class StringForm extends AbstractStreamOperator<String>
      implements OneInputStreamOperator<String, String> {
    private final List<Tuple2<Long, String[]>> groups;
    private transient ListState<Tuple2<Long, String[]>> kept;

    StringForm(List<Tuple2<Long, String[]>> groups) {
      this.groups = groups;
    }

    @Override
    public void initializeState(StateInitializationContext context) throws Exception {
      super.initializeState(context);
      kept =
          context
              .getOperatorStateStore()
              .getUnionListState(
                  new ListStateDescriptor<>(
                      "kept-ids", Types.TUPLE(Types.LONG, Types.OBJECT_ARRAY(Types.STRING))));
    }

    @Override
    public void snapshotState(StateSnapshotContext context) throws Exception {
      super.snapshotState(context);
      kept.update(groups);
    }

    @Override
    public void processElement(StreamRecord<String> element) {}
  }

  /** The earlier form: a {@code seen} flag and a timer per id (here simply 10 days on). */
  private static final class EarlierForm extends KeyedProcessFunction<String, String, String> {
    private transient ValueState<Boolean> seen;

    @Override
    public void open(OpenContext openContext) {
      seen = getRuntimeContext().getState(new ValueStateDescriptor<>("seen", Types.BOOLEAN));
    }

    @Override
    public void processElement(String e, Context ctx, Collector<String> out) throws Exception {
      if (seen.value() == null) {
        seen.update(true);
        ctx.timerService().registerEventTimeTimer(time(e) + Duration.ofDays(10).toMillis());
        out.collect(e);
      }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<String> out) {
      seen.clear();
    }
  }
}
