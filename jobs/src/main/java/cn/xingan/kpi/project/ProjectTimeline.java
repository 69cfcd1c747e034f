package cn.xingan.kpi.project;

import cn.xingan.kpi.alerts.ProjectAlert;
import cn.xingan.kpi.config.ProjectOptions;
import cn.xingan.kpi.events.Rejection;
import cn.xingan.kpi.periods.CalendarPeriods;
import cn.xingan.kpi.periods.Finality;
import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the tracker does with one project's {@link ProjectTrack}, without Flink: each step keeps the
 * emitted results equal to those of the project's history as {@link ProjectWalk} defines it, for
 * the events received so far, whatever order they came in.
 *
 * <ul>
 *   <li><b>Facts</b> ({@link #add}): on every event, the facts of the history with it minus those
 *       without it ({@link FactDiff}). In order that is the event's own facts; an event before
 *       others takes back what it changes (a later progress report's difference, a stock that a
 *       registration moves) and adds the new facts. They go out at once, not when the watermark
 *       passes, so what is sent depends only on the events of the project and their order.
 *   <li><b>Rules</b> ({@link #advance}): walk forward with the watermark, every step going out. An
 *       event at or before the instant they reached makes them run again from the horizon, and the
 *       alerts whose state changed get a new version ({@link AlertVersions}).
 *   <li><b>Horizon</b>: events before {@link Finality#admissibleFrom} the watermark can no longer
 *       arrive, so they move into the snapshot and leave the log; an event whose registration wait
 *       ended before the horizon can no longer be released and is rejected as {@code
 *       unknown_project}.
 *   <li><b>End of a bounded input</b> ({@link #end}): the rules walk up to the input's largest
 *       event time and no further, and whatever was never released is rejected. In a backfill the
 *       facts come only now, from one walk of everything ({@link #buffer} keeps events until then).
 * </ul>
 */
final class ProjectTimeline implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Where results go. */
  interface Out {
    void fact(ProjectFact f);

    void alert(ProjectAlert a);

    void reject(Rejection r);
  }

  private final ProjectWalk walk;
  private final RegistrationWait wait;
  private final Finality finality;
  private final AlertVersions versions;

  ProjectTimeline(CalendarPeriods calendar, Duration allowedLateness, ProjectOptions options) {
    this.walk = new ProjectWalk(calendar, options);
    this.wait = walk.registrationWait();
    this.finality = new Finality(calendar, allowedLateness);
    this.versions = new AlertVersions(calendar);
  }

  /** A backfill: the event waits in the log for the end of the input. */
  void buffer(ProjectTrack t, ProjectInput in) {
    t.insert(in);
  }

  /** Streaming: an event arrives (after {@link #advance} to the watermark, not a duplicate). */
  void add(ProjectTrack t, String projectId, ProjectInput in, long now, Out out) {
    ProjectTrack.Walked before = walked(t, projectId);
    if (continues(t, before, in)) {
      t.log.add(in);
      t.walked = walkOn(before, projectId, in, out);
    } else {
      t.insert(in);
      for (ProjectFact f : FactDiff.between(before.facts(), walked(t, projectId).facts())) {
        out.fact(f);
      }
    }
    if (in.event().eventTime() <= t.rulesAt) {
      replayRules(t, projectId, in, now, out);
    }
  }

  /** Streaming: the watermark is at {@code watermark} (neither the start nor the end of time). */
  void advance(ProjectTrack t, String projectId, long watermark, long now, Out out) {
    if (watermark == Long.MIN_VALUE) {
      return;
    }
    if (watermark > t.rulesAt) {
      ProjectState s = t.rulesState();
      walk.run(
          s,
          projectId,
          t.between(t.rulesAt, watermark),
          watermark,
          watermark,
          now,
          forward(t, out));
      t.rulesAt = watermark;
    }
    long horizon = finality.admissibleFrom(watermark);
    if (horizon > t.horizon) {
      List<ProjectInput> settled = t.between(Long.MIN_VALUE, horizon - 1);
      walk.run(
          t.snapshot,
          projectId,
          settled,
          horizon - 1,
          horizon - 1,
          now,
          new ProjectWalk.Out() {
            @Override
            public void expired(ProjectInput in) {
              out.reject(wait.reject(in, false, now));
            }
          });
      t.settle(settled.size(), horizon);
      versions.prune(t.sent, horizon);
    }
  }

  /** The end of a bounded input whose largest event time is {@code inputEnd}. */
  void end(ProjectTrack t, String projectId, long inputEnd, boolean backfill, long now, Out out) {
    ProjectTrack.Walked history = walked(t, projectId);
    if (backfill) {
      history.facts().forEach(out::fact);
    }
    for (ProjectInput in : history.unreleased()) {
      out.reject(wait.reject(in, wait.expiry(in) > inputEnd, now));
    }
    ProjectState s = t.rulesState();
    walk.run(
        s,
        projectId,
        t.between(t.rulesAt, Long.MAX_VALUE),
        Long.MAX_VALUE,
        inputEnd,
        now,
        forward(t, out));
  }

  /**
   * The next event time at which the project needs a look (its rules' next instant, or a rejection
   * that becomes due), or {@link ProjectState#NONE}.
   */
  long wakeAt(ProjectTrack t, String projectId) {
    long next = Long.MAX_VALUE;
    ProjectState r = t.rules != null ? t.rules : t.snapshot;
    if (!r.completed) {
      for (ProjectInput in : t.log) {
        if (in.event().eventTime() > t.rulesAt) {
          next = in.event().eventTime();
          break;
        }
      }
      for (long d : r.deadlines()) {
        if (d != ProjectState.NONE && d > t.rulesAt) {
          next = Math.min(next, d);
        }
      }
    }
    for (ProjectInput in : walked(t, projectId).unreleased()) {
      next = Math.min(next, finality.earliestFinalAt(wait.expiry(in)));
    }
    return next == Long.MAX_VALUE ? ProjectState.NONE : next;
  }

  private void replayRules(ProjectTrack t, String projectId, ProjectInput late, long now, Out out) {
    ProjectState s = t.snapshot.copy();
    Map<String, SentAlert> replayed = new LinkedHashMap<>();
    AlertBook.Steps latest = AlertVersions.latestInto(replayed);
    walk.run(
        s,
        projectId,
        t.between(Long.MIN_VALUE, t.rulesAt),
        t.rulesAt,
        t.rulesAt,
        now,
        new ProjectWalk.Out() {
          @Override
          public void alert(ProjectAlert a, long at) {
            latest.step(a, at);
          }
        });
    t.rules = s;
    String why =
        "event "
            + late.event().eventId()
            + " of "
            + Instant.ofEpochMilli(late.event().eventTime())
            + " arrived after the rules had run to "
            + Instant.ofEpochMilli(t.rulesAt)
            + ", and the project's history with it does not open this alert";
    versions.correct(t.sent, replayed, t.snapshot.alerts, t.horizon, why, now, out::alert);
  }

  /**
   * The facts of the history of the events received so far, and the events no registration in it
   * releases: one walk, kept until the snapshot or the log changes (each event needs the facts
   * without it, which the previous event's walk gave, and with it, for its timer too).
   */
  private ProjectTrack.Walked walked(ProjectTrack t, String projectId) {
    if (t.walked == null) {
      List<ProjectFact> facts = new ArrayList<>();
      List<ProjectInput> waiting = new ArrayList<>();
      ProjectState end = t.snapshot.copy();
      walk.run(
          end,
          projectId,
          t.log,
          Long.MAX_VALUE,
          Long.MIN_VALUE,
          0,
          new ProjectWalk.Out() {
            @Override
            public void fact(ProjectFact f) {
              facts.add(f);
            }

            @Override
            public void expired(ProjectInput in) {
              waiting.add(in);
            }
          });
      t.walked = new ProjectTrack.Walked(facts, waiting, end);
    }
    return t.walked;
  }

  /**
   * Whether the walk of the history with {@code in} is the walk without it continued by {@code in}:
   * it sorts after every logged event, and nothing waits for a registration at the end of the walk
   * without it (a waiting event expires after the last event, so a walk that ends with waits ends
   * past them, where the new event cannot continue it). Then its facts are the event's own.
   */
  private static boolean continues(ProjectTrack t, ProjectTrack.Walked w, ProjectInput in) {
    return w.unreleased().isEmpty()
        && (t.log.isEmpty() || ProjectWalk.ORDER.compare(t.log.get(t.log.size() - 1), in) < 0);
  }

  /**
   * The walk {@code w} continued by {@code in}, whose facts go out: what {@link #walked} gives for
   * the log with {@code in} at its end, in one step instead of a walk of the whole log. The log is
   * as long as the watermark lags behind the events (weeks when a year of reports is read at once),
   * and each event walking it again cost more than everything else the tracker does.
   */
  private ProjectTrack.Walked walkOn(
      ProjectTrack.Walked w, String projectId, ProjectInput in, Out out) {
    List<ProjectFact> facts = new ArrayList<>(w.facts());
    List<ProjectInput> waiting = new ArrayList<>();
    ProjectState end = w.end();
    walk.run(
        end,
        projectId,
        List.of(in),
        Long.MAX_VALUE,
        Long.MIN_VALUE,
        0,
        new ProjectWalk.Out() {
          @Override
          public void fact(ProjectFact f) {
            facts.add(f);
            out.fact(f);
          }

          @Override
          public void expired(ProjectInput expired) {
            waiting.add(expired);
          }
        });
    return new ProjectTrack.Walked(facts, waiting, end);
  }

  private ProjectWalk.Out forward(ProjectTrack t, Out out) {
    return new ProjectWalk.Out() {
      @Override
      public void alert(ProjectAlert a, long at) {
        versions.forward(t.sent, a, at, out::alert);
      }
    };
  }
}
