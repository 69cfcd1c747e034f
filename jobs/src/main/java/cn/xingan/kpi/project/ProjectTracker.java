package cn.xingan.kpi.project;

import static cn.xingan.kpi.project.ProjectState.NONE;

import cn.xingan.kpi.alerts.ProjectAlert;
import cn.xingan.kpi.config.Durations;
import cn.xingan.kpi.events.ProjectEvent;
import cn.xingan.kpi.events.ProjectEventType;
import cn.xingan.kpi.events.Rejection;
import cn.xingan.kpi.periods.CalendarPeriods;
import cn.xingan.kpi.periods.Finality;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Follows one project (keyed by {@code project_id}) through event time: applies its events in
 * event-time order, turns them into {@link ProjectFact}s for the KPI scopes ({@link ProjectLedger})
 * and runs the lagging-project rules ({@link LaggingRules}), emitting alert versions to {@link
 * #ALERTS}.
 *
 * <p><b>Event-time order.</b> Every event waits in state until the watermark passes its time (an
 * event-time timer), and everything due at an instant is applied in a fixed order: registrations
 * first, then by type and event id, then the waits that expire and the rules due at that instant.
 * So a report that comes before a deadline is seen before the deadline, whatever order the records
 * arrived in. In streaming this delays the project KPIs by the watermark's out-of-orderness (5
 * minutes by default).
 *
 * <p><b>Unregistered projects.</b> An event of a project not registered at its time waits up to
 * {@code --registration-wait} of event time; the registration releases it (it counts in its own
 * periods, with the registration's attributes), otherwise it goes to {@link #REJECTED} as {@code
 * unknown_project}. A bounded run ends with the input: what still waits then is rejected.
 *
 * <p><b>Bounded runs.</b> The rules run on event time up to the watermark; at the end of a bounded
 * input the watermark jumps to the end of time, and the rules must stop at the largest event time
 * of the input instead. That instant comes in on the broadcast input ({@link #INPUT_END}, the
 * running maximum of all project events' times): the end-of-input watermark reaches this operator
 * only after the broadcast input has ended (an operator's watermark is the minimum of its inputs),
 * and BATCH execution reads a broadcast input before the keyed one. At the end of the input the
 * first timer of a project that fires walks it through all its remaining instants up to that
 * instant, in order, and nothing later. This is also what makes BATCH execution work at all: it
 * fires a key's timers only once its input is done, and ignores timers registered from a timer.
 *
 * <p><b>State.</b> A completed project is checked by no rule: its alerts are resolved, its rule
 * state and timers cleared. Its attributes and running figures stay (one small value) so that a
 * later correction or re-registration still counts in the right scopes.
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

  /** Registrations first, then investment, progress, milestones; ties by event id. */
  private static final Comparator<ProjectInput> ORDER =
      Comparator.<ProjectInput>comparingLong(in -> in.event().eventTime())
          .thenComparing(in -> in.event().type())
          .thenComparing(in -> in.event().eventId());

  private final CalendarPeriods calendar;
  private final ProjectOptions options;
  private final ProjectLedger ledger;
  private final LaggingRules rules;

  private transient ValueState<ProjectState> project;
  private transient MapState<Long, List<ProjectInput>> due;
  private transient MapState<Long, List<ProjectInput>> unregistered;
  private transient MapState<String, ProjectAlert> alerts;

  public ProjectTracker(CalendarPeriods calendar, ProjectOptions options) {
    this.calendar = calendar;
    this.options = options;
    this.ledger = new ProjectLedger(calendar);
    this.rules = new LaggingRules(calendar, options);
  }

  @Override
  public void open(OpenContext openContext) {
    TypeInformation<List<ProjectInput>> inputs = Types.LIST(TypeInformation.of(ProjectInput.class));
    project =
        getRuntimeContext()
            .getState(
                new ValueStateDescriptor<>("project", TypeInformation.of(ProjectState.class)));
    due = getRuntimeContext().getMapState(new MapStateDescriptor<>("due", Types.LONG, inputs));
    unregistered =
        getRuntimeContext()
            .getMapState(new MapStateDescriptor<>("unregistered", Types.LONG, inputs));
    alerts =
        getRuntimeContext()
            .getMapState(
                new MapStateDescriptor<>(
                    "alerts", Types.STRING, TypeInformation.of(ProjectAlert.class)));
  }

  @Override
  public void processElement(ProjectInput in, ReadOnlyContext ctx, Collector<ProjectFact> out)
      throws Exception {
    long t = in.event().eventTime();
    add(due, t, in);
    ctx.timerService().registerEventTimeTimer(t);
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
  public void onTimer(long t, OnTimerContext ctx, Collector<ProjectFact> out) throws Exception {
    ProjectState s = project.value();
    if (s == null) {
      s = new ProjectState();
    }
    long[] before = deadlines(s);
    AlertBook book =
        new AlertBook(
            alerts,
            calendar,
            ctx.getCurrentKey(),
            ctx.timerService().currentProcessingTime(),
            a -> ctx.output(ALERTS, a));
    boolean endOfInput = ctx.timerService().currentWatermark() == Long.MAX_VALUE;
    if (!endOfInput) {
      advance(s, t, t, ctx, out, book);
      syncTimers(before, s, t, ctx.timerService());
    } else {
      // The end of a bounded input: everything of this project up to the input's largest event
      // time happens now, in order (BATCH execution ignores timers registered from here on).
      Long inputEnd = ctx.getBroadcastState(INPUT_END).get(END);
      long rulesUpTo = inputEnd == null ? Long.MIN_VALUE : inputEnd;
      advance(s, Math.max(t, rulesUpTo), rulesUpTo, ctx, out, book);
      for (List<ProjectInput> waiting : unregistered.values()) {
        for (ProjectInput in : waiting) {
          reject(in, true, ctx);
        }
      }
      unregistered.clear();
    }
    if (s.isRegistered()) {
      project.update(s);
    }
    clearIfEmpty(due);
    clearIfEmpty(unregistered);
    clearIfEmpty(alerts);
  }

  /**
   * Applies, in time order, every instant of this project up to {@code upTo}: the events due then
   * (registrations first), the waits that expire then, and the rules due then (only up to {@code
   * rulesUpTo}). In streaming each instant has its timer and this usually handles one; at the end
   * of a bounded input it walks through the rest.
   */
  private void advance(
      ProjectState s,
      long upTo,
      long rulesUpTo,
      OnTimerContext ctx,
      Collector<ProjectFact> out,
      AlertBook book)
      throws Exception {
    TreeSet<Long> instants = new TreeSet<>();
    for (Long at : due.keys()) {
      if (at <= upTo) {
        instants.add(at);
      }
    }
    addPending(instants, s, Long.MIN_VALUE, upTo, rulesUpTo);
    Long x;
    while ((x = instants.pollFirst()) != null) {
      List<ProjectInput> now = due.get(x);
      if (now != null) {
        due.remove(x);
        now.sort(ORDER);
        for (ProjectInput in : now) {
          apply(s, in, ctx, out, book);
        }
      }
      List<ProjectInput> expired = unregistered.get(x);
      if (expired != null) {
        unregistered.remove(x);
        for (ProjectInput in : expired) {
          reject(in, false, ctx);
        }
      }
      if (x <= rulesUpTo) {
        rules.due(s, x, book);
      }
      addPending(instants, s, x, upTo, rulesUpTo);
    }
  }

  /** Adds the waits' expiries and the rules' instants in (after, upTo] to {@code instants}. */
  private void addPending(
      TreeSet<Long> instants, ProjectState s, long after, long upTo, long rulesUpTo)
      throws Exception {
    for (Long at : unregistered.keys()) {
      if (at > after && at <= upTo) {
        instants.add(at);
      }
    }
    for (long at : deadlines(s)) {
      if (at != NONE && at > after && at <= upTo && at <= rulesUpTo) {
        instants.add(at);
      }
    }
  }

  private void apply(
      ProjectState s,
      ProjectInput in,
      OnTimerContext ctx,
      Collector<ProjectFact> out,
      AlertBook book)
      throws Exception {
    ProjectEvent e = in.event();
    long t = e.eventTime();
    if (!s.isRegistered()) {
      if (e.type() == ProjectEventType.REGISTERED) {
        register(s, e, ctx, out);
      } else {
        long expiry = Finality.plus(t, options.registrationWait().toMillis());
        add(unregistered, expiry, in);
        if (ctx.timerService().currentWatermark() != Long.MAX_VALUE) {
          ctx.timerService().registerEventTimeTimer(expiry);
        }
      }
    } else if (e.type() == ProjectEventType.REGISTERED) {
      ledger.reregister(s, e, out::collect);
      rules.reregistered(s, t, book);
    } else {
      ledger.report(s, e, true, out::collect);
      rules.reported(s, e, t, book);
    }
  }

  /** The first registration: releases the events that waited for it, then joins the scopes. */
  private void register(
      ProjectState s, ProjectEvent registration, OnTimerContext ctx, Collector<ProjectFact> out)
      throws Exception {
    s.registration = registration.registration();
    s.registeredAt = registration.eventTime();
    List<ProjectInput> waited = new ArrayList<>();
    List<Long> expiries = new ArrayList<>();
    for (var entry : unregistered.entries()) {
      waited.addAll(entry.getValue());
      expiries.add(entry.getKey());
    }
    unregistered.clear();
    waited.sort(ORDER);
    for (ProjectInput in : waited) {
      ledger.report(s, in.event(), false, out::collect);
      rules.waited(s, in.event());
    }
    ledger.join(s, registration, out::collect);
    rules.registered(s, registration.eventTime());
    if (ctx.timerService().currentWatermark() != Long.MAX_VALUE) {
      for (long expiry : expiries) {
        releaseTimer(expiry, s, ctx.timerService());
      }
    }
  }

  private void reject(ProjectInput in, boolean endOfInput, OnTimerContext ctx) {
    ProjectEvent e = in.event();
    String detail =
        "project '"
            + e.projectId()
            + "' has no registered event at or before "
            + Instant.ofEpochMilli(e.eventTime())
            + (endOfInput
                ? " up to the end of the input"
                : " nor within --registration-wait "
                    + Durations.format(options.registrationWait())
                    + " after it");
    ctx.output(
        REJECTED,
        in.origin()
            .reject(
                ctx.timerService().currentProcessingTime(),
                e.eventId(),
                Rejection.UNKNOWN_PROJECT,
                detail));
  }

  /** Registers the rules' new instants and deletes the timers of instants no longer needed. */
  private void syncTimers(long[] before, ProjectState s, long t, TimerService timers)
      throws Exception {
    long[] after = deadlines(s);
    for (long b : before) {
      if (b != NONE && b > t && !contains(after, b)) {
        releaseTimer(b, s, timers);
      }
    }
    for (long a : after) {
      if (a != NONE && a > t && !contains(before, a)) {
        timers.registerEventTimeTimer(a);
      }
    }
  }

  /** Deletes the timer at {@code at} unless an event or a rule still needs that instant. */
  private void releaseTimer(long at, ProjectState s, TimerService timers) throws Exception {
    if (!due.contains(at) && !unregistered.contains(at) && !contains(deadlines(s), at)) {
      timers.deleteEventTimeTimer(at);
    }
  }

  private static long[] deadlines(ProjectState s) {
    return new long[] {s.startOverdueAt, s.noReportAt, s.nextCheckAt};
  }

  private static boolean contains(long[] values, long v) {
    for (long x : values) {
      if (x == v) {
        return true;
      }
    }
    return false;
  }

  private static void add(MapState<Long, List<ProjectInput>> map, long at, ProjectInput in)
      throws Exception {
    List<ProjectInput> list = map.get(at);
    if (list == null) {
      list = new ArrayList<>(1);
    }
    list.add(in);
    map.put(at, list);
  }

  /** An empty map is still an entry in heap state; clearing it frees the key's slot. */
  private static void clearIfEmpty(MapState<?, ?> map) throws Exception {
    if (map.isEmpty()) {
      map.clear();
    }
  }
}
