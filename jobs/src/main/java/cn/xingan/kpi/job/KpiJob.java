package cn.xingan.kpi.job;

import cn.xingan.kpi.config.KpiOptions;
import cn.xingan.kpi.events.Envelope;
import cn.xingan.kpi.events.EventStream;
import cn.xingan.kpi.events.MarketEvent;
import cn.xingan.kpi.events.Rejection;
import cn.xingan.kpi.events.ServiceEvent;
import cn.xingan.kpi.kpi.DaySlice;
import cn.xingan.kpi.kpi.PeriodAccumulator;
import cn.xingan.kpi.kpi.PreAggregate;
import cn.xingan.kpi.kpi.ScopeKey;
import cn.xingan.kpi.kpi.SliceFigures;
import cn.xingan.kpi.market.MarketKpiAccumulator;
import cn.xingan.kpi.market.MarketKpiFunction;
import cn.xingan.kpi.market.MarketKpiRow;
import cn.xingan.kpi.market.MarketScopes;
import cn.xingan.kpi.periods.CalendarPeriods;
import cn.xingan.kpi.periods.Finality;
import cn.xingan.kpi.project.ProjectInput;
import cn.xingan.kpi.project.ProjectPipeline;
import cn.xingan.kpi.service.ServiceKpiAccumulator;
import cn.xingan.kpi.service.ServiceKpiFunction;
import cn.xingan.kpi.service.ServiceKpiRow;
import cn.xingan.kpi.service.ServiceScopes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.typeinfo.TypeHint;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.function.SerializableFunction;

/**
 * The KPI pipeline, independent of where records come from and where results go: decoded records
 * are admitted (or rejected), freed of repeats, pre-aggregated per scope key and local day before
 * the shuffle, merged per calendar period and written. {@code bounded} runs (backfill) emit only
 * final rows.
 */
public final class KpiJob {
  /** The longest a day slice waits before the shuffle in an unbounded run. */
  static final Duration PRE_AGGREGATE_FLUSH = Duration.ofMillis(500);

  /**
   * Slices buffered per subtask before a flush: a year of one stream's days in every scope fits
   * (365 days × about 120 service scope keys), so a backfill flushes once per subtask.
   */
  static final int PRE_AGGREGATE_SLICES = 50_000;

  private static final TypeInformation<ScopeKey> SCOPE_KEY = TypeInformation.of(ScopeKey.class);

  private final KpiSources sources;
  private final KpiSinks sinks;
  private final KpiOptions options;
  private final boolean bounded;

  /** Whether the job runs in BATCH mode, where keyed inputs are sorted (set by {@link #build}). */
  private boolean batch;

  public KpiJob(KpiSources sources, KpiSinks sinks, KpiOptions options, boolean bounded) {
    this.sources = sources;
    this.sinks = sinks;
    this.options = options;
    this.bounded = bounded;
  }

  public void build(StreamExecutionEnvironment env) {
    batch = env.getConfiguration().get(ExecutionOptions.RUNTIME_MODE) == RuntimeExecutionMode.BATCH;
    CalendarPeriods calendar = new CalendarPeriods(options.zone());
    List<DataStream<Rejection>> rejections = new ArrayList<>();
    List<DataStream<ServiceEvent>> service = new ArrayList<>();
    List<DataStream<MarketEvent>> market = new ArrayList<>();
    List<DataStream<ProjectInput>> project = new ArrayList<>();
    for (Map.Entry<EventStream, DataStream<Envelope>> input : sources.open(env).entrySet()) {
      String name = input.getKey() == null ? "all-streams" : input.getKey().topic();
      SingleOutputStreamOperator<Rejection> admitted =
          input
              .getValue()
              .process(
                  new AdmitEvents(
                      calendar,
                      options.allowedLateness(),
                      input.getKey() == null ? "unknown" : name))
              .name("admit " + name)
              .uid("admit-" + name);
      rejections.add(admitted);
      if (input.getKey() == null || input.getKey() == EventStream.SERVICE_TRANSACTIONS) {
        service.add(admitted.getSideOutput(AdmitEvents.SERVICE));
      }
      if (input.getKey() == null || input.getKey() == EventStream.MARKET_STALL_COUNTS) {
        market.add(admitted.getSideOutput(AdmitEvents.MARKET));
      }
      if (input.getKey() == null || input.getKey() == EventStream.PROJECT_PROGRESS) {
        project.add(admitted.getSideOutput(AdmitEvents.PROJECT));
      }
    }
    if (!service.isEmpty()) {
      sinks.serviceRows(serviceKpis(union(service), calendar));
    }
    if (!market.isEmpty()) {
      sinks.marketRows(marketKpis(union(market), calendar));
    }
    if (!project.isEmpty()) {
      // Not through DropDuplicates (keyed by event id): the tracker drops repeats itself, so a
      // project's events keep their partition's order (see ProjectTracker).
      ProjectPipeline.Result projects =
          ProjectPipeline.build(union(project), calendar, options, bounded);
      sinks.projectRows(projects.rows());
      sinks.projectAlerts(projects.alerts());
      rejections.add(projects.rejections());
    }
    sinks.rejections(
        union(rejections)
            .map(new CountRejections())
            .name("count rejections")
            .uid("count-rejections"));
  }

  private DataStream<ServiceKpiRow> serviceKpis(
      DataStream<ServiceEvent> events, CalendarPeriods calendar) {
    return dropDuplicates(
            events,
            ServiceEvent::eventId,
            ServiceEvent::eventTime,
            ServiceEvent.class,
            calendar,
            EventStream.SERVICE_TRANSACTIONS)
        .transform(
            "service day slices",
            new TypeHint<DaySlice<ServiceKpiAccumulator>>() {}.getTypeInfo(),
            preAggregate(new ServiceScopes(), calendar))
        .uid("service-slices")
        .keyBy(DaySlice::scope, SCOPE_KEY)
        .process(
            new ServiceKpiFunction(
                calendar, options.allowedLateness(), bounded ? null : options.emitInterval()))
        .name("kpi_service")
        .uid("kpi-service");
  }

  private DataStream<MarketKpiRow> marketKpis(
      DataStream<MarketEvent> events, CalendarPeriods calendar) {
    return dropDuplicates(
            events,
            MarketEvent::eventId,
            MarketEvent::eventTime,
            MarketEvent.class,
            calendar,
            EventStream.MARKET_STALL_COUNTS)
        .transform(
            "market day slices",
            new TypeHint<DaySlice<MarketKpiAccumulator>>() {}.getTypeInfo(),
            preAggregate(new MarketScopes(), calendar))
        .uid("market-slices")
        .keyBy(DaySlice::scope, SCOPE_KEY)
        .process(
            new MarketKpiFunction(
                calendar, options.allowedLateness(), bounded ? null : options.emitInterval()))
        .name("kpi_market")
        .uid("kpi-market");
  }

  /**
   * The chained pre-aggregation of a stream (see {@link PreAggregate}). In unbounded runs a slice
   * waits at most {@link #PRE_AGGREGATE_FLUSH} (never longer than the emit interval), which bounds
   * what it adds to a row's delay; bounded runs flush on size and at the end only.
   */
  private <E, ACC extends PeriodAccumulator> PreAggregate<E, ACC> preAggregate(
      SliceFigures<E, ACC> figures, CalendarPeriods calendar) {
    Duration flush =
        bounded
            ? null
            : options.emitInterval().compareTo(PRE_AGGREGATE_FLUSH) < 0
                ? options.emitInterval()
                : PRE_AGGREGATE_FLUSH;
    return new PreAggregate<>(
        figures, new Finality(calendar, options.allowedLateness()), PRE_AGGREGATE_SLICES, flush);
  }

  /**
   * One stream's events without repeats of an event id: keyed by the id through {@link
   * DropDuplicates} in a streaming run; in a BATCH run through {@link DropBatchDuplicates},
   * partitioned by the id's hash instead of keyed (a BATCH {@code keyBy} sorts every event), and at
   * parallelism 1 chained to the decoder.
   */
  private <E> DataStream<E> dropDuplicates(
      DataStream<E> events,
      SerializableFunction<E, String> eventId,
      SerializableFunction<E, Long> eventTime,
      Class<E> type,
      CalendarPeriods calendar,
      EventStream stream) {
    // the operator's uid keeps its first name (dedup-service, …): savepoints stay compatible
    String shortName =
        switch (stream) {
          case SERVICE_TRANSACTIONS -> "service";
          case MARKET_STALL_COUNTS -> "market";
          case PROJECT_PROGRESS -> "project";
        };
    String name = "drop duplicate " + shortName + " events";
    if (batch) {
      boolean single = events.getExecutionEnvironment().getParallelism() == 1;
      SingleOutputStreamOperator<E> dropped =
          (single
                  ? events
                  : events.partitionCustom(
                      (hash, partitions) -> Math.floorMod(hash, partitions),
                      e -> IdHash.second(eventId.apply(e))))
              .transform(
                  name,
                  TypeInformation.of(type),
                  new DropBatchDuplicates<>(eventId, stream.topic()))
              .uid("dedup-" + shortName);
      // one subtask sees every id even if a scheduler gave the source more subtasks (then Flink
      // rebalances into it instead of chaining)
      return single ? dropped.setParallelism(1) : dropped;
    }
    return events
        .keyBy(eventId::apply, Types.STRING)
        .transform(
            name,
            TypeInformation.of(type),
            new DropDuplicates<>(
                calendar, options.allowedLateness(), eventId, eventTime, stream.topic()))
        .uid("dedup-" + shortName);
  }

  private static <T> DataStream<T> union(List<DataStream<T>> streams) {
    DataStream<T> all = streams.get(0);
    for (int i = 1; i < streams.size(); i++) {
      all = all.union(streams.get(i));
    }
    return all;
  }
}
