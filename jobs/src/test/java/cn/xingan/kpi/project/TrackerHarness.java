package cn.xingan.kpi.project;

import cn.xingan.kpi.alerts.ProjectAlert;
import cn.xingan.kpi.config.ProjectOptions;
import cn.xingan.kpi.events.Milestone;
import cn.xingan.kpi.events.Origin;
import cn.xingan.kpi.events.ProjectEvent;
import cn.xingan.kpi.events.ProjectRegistration;
import cn.xingan.kpi.events.Rejection;
import cn.xingan.kpi.periods.CalendarPeriods;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;

/**
 * A {@link ProjectTracker} in Flink's operator test harness, with events written as local times in
 * Asia/Shanghai and helpers to read what came out since the last look.
 */
final class TrackerHarness implements AutoCloseable {
  static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  static final CalendarPeriods CALENDAR = new CalendarPeriods(SHANGHAI);
  static final String P = "XA-2026-017";

  final KeyedBroadcastOperatorTestHarness<String, ProjectInput, Long, ProjectFact> h;
  private int seq;

  TrackerHarness() throws Exception {
    this(ProjectOptions.defaults());
  }

  TrackerHarness(ProjectOptions options) throws Exception {
    this(options, false);
  }

  /**
   * @param bounded as in a backfill: events wait for the end of the input
   */
  TrackerHarness(ProjectOptions options, boolean bounded) throws Exception {
    h =
        ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(
            new ProjectTracker(CALENDAR, java.time.Duration.ofDays(7), options, bounded),
            (KeySelector<ProjectInput, String>) in -> in.event().projectId(),
            Types.STRING,
            ProjectTracker.INPUT_END);
  }

  static long at(String localDateTime) {
    return LocalDateTime.parse(localDateTime).atZone(SHANGHAI).toInstant().toEpochMilli();
  }

  static ProjectRegistration registration(
      String county, long plannedYearCents, String plannedStart, String plannedCompletion) {
    return new ProjectRegistration(
        "乳业智能工厂 Dairy plant",
        county,
        "dairy",
        "key",
        plannedYearCents * 2,
        plannedYearCents,
        LocalDate.parse(plannedStart).toEpochDay(),
        LocalDate.parse(plannedCompletion).toEpochDay());
  }

  void send(ProjectEvent e) throws Exception {
    byte[] raw = ("{\"event_id\":\"" + e.eventId() + "\"}").getBytes(StandardCharsets.UTF_8);
    h.processElement(new ProjectInput(e, new Origin("project-progress", 0, seq++, raw)), 0L);
  }

  void register(String local, ProjectRegistration r) throws Exception {
    send(ProjectEvent.registered("reg-" + seq, at(local), P, r));
  }

  void invest(String local, long cents) throws Exception {
    send(ProjectEvent.investment("inv-" + seq, at(local), P, cents, cents < 0));
  }

  void progress(String local, double pct) throws Exception {
    send(ProjectEvent.progress("prog-" + seq, at(local), P, Math.round(pct * 1_000_000)));
  }

  void milestone(String local, Milestone m) throws Exception {
    send(ProjectEvent.milestone("ms-" + seq, at(local), P, m));
  }

  /** Moves both inputs' watermark (the operator's is their minimum). */
  void watermark(long w) throws Exception {
    h.processWatermark(w);
    h.processBroadcastWatermark(w);
  }

  void watermark(String local) throws Exception {
    watermark(at(local));
  }

  /** The end of a bounded input whose largest event time is {@code inputEnd}. */
  void endOfInput(String inputEnd) throws Exception {
    h.processBroadcastElement(at(inputEnd), 0L);
    watermark(Long.MAX_VALUE);
  }

  List<ProjectFact> facts() {
    List<ProjectFact> out = h.extractOutputValues();
    h.getOutput().clear();
    return out;
  }

  List<ProjectAlert> alerts() {
    return drain(h.getSideOutput(ProjectTracker.ALERTS));
  }

  List<Rejection> rejections() {
    return drain(h.getSideOutput(ProjectTracker.REJECTED));
  }

  private static <T> List<T> drain(java.util.Queue<StreamRecord<T>> queue) {
    List<T> out = new ArrayList<>();
    if (queue != null) {
      StreamRecord<T> r;
      while ((r = queue.poll()) != null) {
        out.add(r.getValue());
      }
    }
    return out;
  }

  int eventTimeTimers() {
    return h.numEventTimeTimers();
  }

  int keyedStateEntries() {
    var backend = h.getOperator().getKeyedStateBackend();
    return ((HeapKeyedStateBackend<?>) backend).numKeyValueStateEntries();
  }

  @Override
  public void close() throws Exception {
    h.close();
  }
}
