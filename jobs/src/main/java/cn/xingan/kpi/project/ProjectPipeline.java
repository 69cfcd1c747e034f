package cn.xingan.kpi.project;

import cn.xingan.kpi.alerts.ProjectAlert;
import cn.xingan.kpi.config.KpiOptions;
import cn.xingan.kpi.events.Rejection;
import cn.xingan.kpi.periods.CalendarPeriods;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.util.Collector;

/**
 * The project stream's part of the job: admitted project events → {@link ProjectTracker} (keyed by
 * project, with the input's largest event time broadcast to it; it also drops repeated event ids) →
 * facts keyed by scope → {@link ProjectKpiFunction}. Kept apart from {@code KpiJob} so the job only
 * wires streams to sinks.
 */
public final class ProjectPipeline {

  /** What the project stream produces. */
  public record Result(
      DataStream<ProjectKpiRow> rows,
      DataStream<ProjectAlert> alerts,
      DataStream<Rejection> rejections) {}

  private ProjectPipeline() {}

  /**
   * @param bounded no rolling rows (backfill)
   */
  public static Result build(
      DataStream<ProjectInput> events,
      CalendarPeriods calendar,
      KpiOptions options,
      boolean bounded) {
    BroadcastStream<Long> inputEnd =
        events
            .flatMap(new RunningMax())
            .name("project input end")
            .uid("project-input-end")
            .broadcast(ProjectTracker.INPUT_END);
    SingleOutputStreamOperator<ProjectFact> facts =
        events
            .keyBy(in -> in.event().projectId())
            .connect(inputEnd)
            .process(
                new ProjectTracker(calendar, options.allowedLateness(), options.project(), bounded))
            .name("project tracker")
            .uid("project-tracker");
    DataStream<ProjectKpiRow> rows =
        facts
            .keyBy(ProjectFact::scope)
            .process(
                new ProjectKpiFunction(
                    calendar,
                    options.allowedLateness(),
                    options.project().registrationWait(),
                    bounded ? null : options.emitInterval()))
            .name("kpi_project")
            .uid("kpi-project");
    return new Result(
        rows,
        facts.getSideOutput(ProjectTracker.ALERTS),
        facts.getSideOutput(ProjectTracker.REJECTED));
  }

  /**
   * Forwards an event time only when it is the largest this subtask has seen (the project stream is
   * small, and a backfill's unordered input needs few). After a restore it starts again from
   * nothing, which only re-sends maxima the trackers already know.
   */
  static final class RunningMax implements FlatMapFunction<ProjectInput, Long> {
    private static final long serialVersionUID = 1L;
    private transient long max = Long.MIN_VALUE;
    private transient boolean seen;

    @Override
    public void flatMap(ProjectInput in, Collector<Long> out) {
      long t = in.event().eventTime();
      if (!seen || t > max) {
        seen = true;
        max = t;
        out.collect(t);
      }
    }
  }
}
