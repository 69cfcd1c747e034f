package cn.xingan.kpi.project;

import cn.xingan.kpi.alerts.ProjectAlert;
import cn.xingan.kpi.config.ProjectOptions;
import cn.xingan.kpi.events.Rejection;
import cn.xingan.kpi.kpi.RowGuard;
import cn.xingan.kpi.periods.CalendarPeriods;
import java.time.Duration;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Follows one project (keyed by {@code project_id}): keeps its history ({@link ProjectTrack}),
 * sends the {@link ProjectFact}s of that history to the KPI scopes, runs the lagging-project rules
 * on event time and emits alert versions to {@link #ALERTS}, and rejects events of projects never
 * registered to {@link #REJECTED}. What the history means is {@link ProjectWalk}'s; how it is kept
 * equal to the events received whatever their order is {@link ProjectTimeline}'s. This class only
 * connects them to Flink: keyed state, one event-time timer per project, outputs.
 *
 * <p><b>Duplicates.</b> A repeated {@code event_id} is dropped here (and counted in the metric
 * {@code duplicates}), not in a stage keyed by event id before: keyed by project from the source
 * on, a project's events reach the tracker in the order of their Kafka partition, on every run and
 * every replay from a checkpoint, so the facts it sends are the same each time and so are the
 * versions of the rows they make.
 *
 * <p><b>Bounded runs.</b> The rules run on event time up to the watermark; at the end of a bounded
 * input the watermark jumps to the end of time, and the rules must stop at the largest event time
 * of the input instead. That instant comes in on the broadcast input ({@link #INPUT_END}, the
 * running maximum of all project events' times): the end-of-input watermark reaches this operator
 * only after the broadcast input has ended (an operator's watermark is the minimum of its inputs),
 * and BATCH execution reads a broadcast input before the keyed one. In a backfill ({@code bounded})
 * events only wait in the log, and the first timer that fires at the end of the input walks the
 * whole history once; BATCH execution fires a key's timers only once its input is done, and ignores
 * timers registered from a timer.
 *
 * <p><b>State.</b> A project's events stay in the log only until no event before them can arrive;
 * after that one snapshot remains (attributes and running figures, so that a later correction or
 * re-registration still counts in the right scopes). A project never registered leaves nothing once
 * its events are rejected; a completed one has no timer.
 */
public final class ProjectTracker
    extends KeyedBroadcastProcessFunction<String, ProjectInput, Long, ProjectFact> {
  private static final long serialVersionUID = 1L;

  public static final OutputTag<ProjectAlert> ALERTS = new OutputTag<>("project-alerts") {};
  public static final OutputTag<Rejection> REJECTED = new OutputTag<>("unknown-project") {};

  /** The largest event time of the project input, as far as it has been read. */
  public static final MapStateDescriptor<String, Long> INPUT_END =
      new MapStateDescriptor<>("project-input-end", Types.STRING, Types.LONG);

  private static final String END = "max-event-time";

  private final ProjectTimeline timeline;
  private final boolean bounded;

  private transient ValueState<ProjectTrack> track;
  private transient Counter duplicates;
  private transient RowGuard<ProjectAlert> alertGuard;

  /**
   * @param bounded a backfill: the input is complete at its end, facts come from one walk then
   */
  public ProjectTracker(
      CalendarPeriods calendar, Duration allowedLateness, ProjectOptions options, boolean bounded) {
    this.timeline = new ProjectTimeline(calendar, allowedLateness, options);
    this.bounded = bounded;
  }

  @Override
  public void open(OpenContext openContext) {
    track =
        getRuntimeContext()
            .getState(new ValueStateDescriptor<>("track", TypeInformation.of(ProjectTrack.class)));
    duplicates = getRuntimeContext().getMetricGroup().counter("duplicates");
    alertGuard = new RowGuard<>("project_alerts", ProjectAlert::problems, getRuntimeContext());
  }

  @Override
  public void processElement(ProjectInput in, ReadOnlyContext ctx, Collector<ProjectFact> out)
      throws Exception {
    ProjectTrack t = track.value();
    if (t == null) {
      t = new ProjectTrack();
    }
    String key = ctx.getCurrentKey();
    TimerService timers = ctx.timerService();
    Outputs o = new Outputs(ctx, out, in.event().eventId());
    if (!bounded) {
      timeline.advance(t, key, timers.currentWatermark(), timers.currentProcessingTime(), o);
    }
    if (t.contains(in.event().eventId())) {
      duplicates.inc();
    } else if (bounded) {
      timeline.buffer(t, in);
      timers.registerEventTimeTimer(in.event().eventTime());
    } else {
      timeline.add(t, key, in, timers.currentProcessingTime(), o);
    }
    save(t, key, timers);
  }

  @Override
  public void processBroadcastElement(Long eventTime, Context ctx, Collector<ProjectFact> out)
      throws Exception {
    BroadcastState<String, Long> end = ctx.getBroadcastState(INPUT_END);
    Long known = end.get(END);
    if (known == null || eventTime > known) {
      end.put(END, eventTime);
    }
  }

  @Override
  public void onTimer(long timestamp, OnTimerContext ctx, Collector<ProjectFact> out)
      throws Exception {
    ProjectTrack t = track.value();
    if (t == null) {
      return; // the end of the input was handled at an earlier timer
    }
    String key = ctx.getCurrentKey();
    TimerService timers = ctx.timerService();
    Outputs o = new Outputs(ctx, out, "");
    long now = timers.currentProcessingTime();
    if (timers.currentWatermark() == Long.MAX_VALUE) {
      Long inputEnd = ctx.getBroadcastState(INPUT_END).get(END);
      timeline.end(t, key, inputEnd == null ? Long.MIN_VALUE : inputEnd, bounded, now, o);
      track.clear();
      return;
    }
    if (timestamp == t.timer) {
      t.timer = ProjectState.NONE; // fired
    }
    timeline.advance(t, key, timers.currentWatermark(), now, o);
    save(t, key, timers);
  }

  /** Keeps the one timer at the next instant the project needs, or lets the state go. */
  private void save(ProjectTrack t, String key, TimerService timers) throws Exception {
    long wake = bounded ? t.timer : timeline.wakeAt(t, key);
    if (t.isEmpty()) {
      wake = ProjectState.NONE;
    }
    if (wake != t.timer) {
      if (t.timer != ProjectState.NONE) {
        timers.deleteEventTimeTimer(t.timer);
      }
      if (wake != ProjectState.NONE) {
        timers.registerEventTimeTimer(wake);
      }
      t.timer = wake;
    }
    if (t.isEmpty()) {
      track.clear();
    } else {
      track.update(t);
    }
  }

  /** The timeline's results as the tracker's outputs, alerts checked before they leave. */
  private final class Outputs implements ProjectTimeline.Out {
    private final ReadOnlyContext ctx;
    private final Collector<ProjectFact> facts;
    private final String cause;

    Outputs(ReadOnlyContext ctx, Collector<ProjectFact> facts, String cause) {
      this.ctx = ctx;
      this.facts = facts;
      this.cause = cause;
    }

    @Override
    public void fact(ProjectFact f) {
      facts.collect(f);
    }

    @Override
    public void alert(ProjectAlert a) {
      if (alertGuard.admits(a, cause.isEmpty() ? "the rules at a watermark" : "event " + cause)) {
        ctx.output(ALERTS, a);
      }
    }

    @Override
    public void reject(Rejection r) {
      ctx.output(REJECTED, r);
    }
  }
}
