package cn.xingan.kpi.job;

import cn.xingan.kpi.config.KpiOptions;
import cn.xingan.kpi.events.Envelope;
import cn.xingan.kpi.events.EventStream;
import cn.xingan.kpi.events.MarketEvent;
import cn.xingan.kpi.events.Rejection;
import cn.xingan.kpi.events.ServiceEvent;
import cn.xingan.kpi.market.MarketKpiFunction;
import cn.xingan.kpi.market.MarketKpiRow;
import cn.xingan.kpi.market.MarketScopes;
import cn.xingan.kpi.market.ScopedMarket;
import cn.xingan.kpi.periods.CalendarPeriods;
import cn.xingan.kpi.project.ProjectInput;
import cn.xingan.kpi.project.ProjectPipeline;
import cn.xingan.kpi.service.ScopedService;
import cn.xingan.kpi.service.ServiceKpiFunction;
import cn.xingan.kpi.service.ServiceKpiRow;
import cn.xingan.kpi.service.ServiceScopes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.function.SerializableFunction;

/**
 * The KPI pipeline, independent of where records come from and where results go: decoded records
 * are admitted (or rejected), fanned out to their scopes, aggregated per calendar period and
 * written. {@code bounded} runs (backfill) emit only final rows.
 */
public final class KpiJob {
  private final KpiSources sources;
  private final KpiSinks sinks;
  private final KpiOptions options;
  private final boolean bounded;

  public KpiJob(KpiSources sources, KpiSinks sinks, KpiOptions options, boolean bounded) {
    this.sources = sources;
    this.sinks = sinks;
    this.options = options;
    this.bounded = bounded;
  }

  public void build(StreamExecutionEnvironment env) {
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
            events.keyBy(ServiceEvent::eventId),
            ServiceEvent::eventTime,
            ServiceEvent.class,
            calendar,
            EventStream.SERVICE_TRANSACTIONS)
        .flatMap(new ServiceScopes())
        .name("service scopes")
        .uid("service-scopes")
        .keyBy(ScopedService::scope)
        .process(
            new ServiceKpiFunction(
                calendar, options.allowedLateness(), bounded ? null : options.emitInterval()))
        .name("kpi_service")
        .uid("kpi-service");
  }

  private DataStream<MarketKpiRow> marketKpis(
      DataStream<MarketEvent> events, CalendarPeriods calendar) {
    return dropDuplicates(
            events.keyBy(MarketEvent::eventId),
            MarketEvent::eventTime,
            MarketEvent.class,
            calendar,
            EventStream.MARKET_STALL_COUNTS)
        .flatMap(new MarketScopes())
        .name("market scopes")
        .uid("market-scopes")
        .keyBy(ScopedMarket::scope)
        .process(
            new MarketKpiFunction(
                calendar, options.allowedLateness(), bounded ? null : options.emitInterval()))
        .name("kpi_market")
        .uid("kpi-market");
  }

  /** One stream's events without repeats of an event id (see {@link DropDuplicates}). */
  private <E> DataStream<E> dropDuplicates(
      KeyedStream<E, String> byEventId,
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
    return byEventId
        .process(
            new DropDuplicates<>(calendar, options.allowedLateness(), eventTime, stream.topic()))
        .returns(type)
        .name("drop duplicate " + shortName + " events")
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
