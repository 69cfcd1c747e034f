package cn.xingan.kpi.config;

import cn.xingan.kpi.project.ProjectOptions;
import cn.xingan.kpi.sink.ClickHouseEndpoint;
import java.io.Serializable;
import java.time.Duration;
import java.time.ZoneId;

/**
 * Every option of the KPI jobs, parsed once ({@link OptionsParser}) and passed around immutable.
 * Flink engine settings (parallelism, state backend details) stay Flink configuration; the few that
 * users set per run (checkpoint interval, state backend) are here so the CLI can offer them.
 */
public record KpiOptions(
    ClickHouseEndpoint clickhouse,
    String kafkaBootstrap,
    String kafkaGroupId,
    ZoneId zone,
    Duration emitInterval,
    Duration allowedLateness,
    Duration maxFuture,
    Duration outOfOrderness,
    Duration idleness,
    int sinkBatchRows,
    Duration sinkBatchInterval,
    int sinkMaxRetries,
    Duration checkpointInterval,
    String stateBackend,
    int maxRecordBytes,
    ProjectOptions project)
    implements Serializable {

  public static final String TOPIC_PROJECTS = "project-progress";
  public static final String TOPIC_SERVICE = "service-transactions";
  public static final String TOPIC_MARKETS = "market-stall-counts";
  public static final String TOPIC_ALERTS = "project-alerts";
  public static final String TOPIC_REJECTED = "kpi-rejected";

  /** Options with every default, for tests and embedded use. */
  public static KpiOptions defaults() {
    return OptionsParser.parse(new String[0]).options();
  }

  public KpiOptions withClickHouse(ClickHouseEndpoint endpoint) {
    return copy(endpoint, kafkaBootstrap, emitInterval);
  }

  public KpiOptions withEmitInterval(Duration interval) {
    return copy(clickhouse, kafkaBootstrap, interval);
  }

  public KpiOptions withKafka(String bootstrap) {
    return copy(clickhouse, bootstrap, emitInterval);
  }

  /** These options with the three that embedded runs (quickstart, tests) decide themselves. */
  private KpiOptions copy(ClickHouseEndpoint ch, String bootstrap, Duration emit) {
    return new KpiOptions(
        ch,
        bootstrap,
        kafkaGroupId,
        zone,
        emit,
        allowedLateness,
        maxFuture,
        outOfOrderness,
        idleness,
        sinkBatchRows,
        sinkBatchInterval,
        sinkMaxRetries,
        checkpointInterval,
        stateBackend,
        maxRecordBytes,
        project);
  }
}
