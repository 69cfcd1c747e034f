package cn.xingan.kpi.sink;

import cn.xingan.kpi.alerts.ProjectAlert;
import cn.xingan.kpi.config.ClickHouseEndpoint;
import cn.xingan.kpi.config.KpiOptions;
import cn.xingan.kpi.events.Rejection;
import cn.xingan.kpi.job.KpiSinks;
import cn.xingan.kpi.market.MarketKpiRow;
import cn.xingan.kpi.project.Money;
import cn.xingan.kpi.project.ProjectKpiRow;
import cn.xingan.kpi.service.ServiceKpiRow;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.apache.flink.connector.jdbc.JdbcConnectionOptions;
import org.apache.flink.connector.jdbc.JdbcStatementBuilder;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Writes results to ClickHouse with flink-connector-jdbc and clickhouse-jdbc: batched {@code INSERT
 * … VALUES (?, …)} by rows and by time, retried on failure, flushed on checkpoints (at least once;
 * the ReplacingMergeTree tables make a repeated row harmless because its version is the same).
 */
public final class ClickHouseSinks implements KpiSinks {
  static final String DRIVER = "com.clickhouse.jdbc.ClickHouseDriver";

  public static final String SERVICE_COLUMNS =
      "period, period_start, period_end, scope, scope_key, accepted, completed, rejected,"
          + " completed_on_time, completed_online, completed_zero_visit, processing_hours_sum,"
          + " processing_hours_max, promised_days_sum, statutory_days_sum,"
          + " satisfaction_responses, satisfaction_positive, events, is_final, version, updated_at";

  static final String MARKET_COLUMNS =
      "period, period_start, period_end, scope, scope_key, markets_reporting, observations,"
          + " stalls_occupied_sum, stalls_total_sum, stalls_occupied_peak, markets_operating,"
          + " markets_upgrading, markets_closed, workers_registered_latest, jobs_matched, events,"
          + " is_final, version, updated_at";

  static final String REJECTED_COLUMNS =
      "received_at, source, partition, offset, event_id, reason, detail, raw";

  static final String PROJECT_COLUMNS =
      "period, period_start, period_end, scope, scope_key, projects, planned_year_cny,"
          + " investment_cny, investment_ytd_cny, projects_reporting, started, half_complete,"
          + " trial_run, in_production, completed, progress_pct_avg, events, is_final, version,"
          + " updated_at";

  static final String ALERT_COLUMNS =
      "alert_id, project_id, project_name, county, chain, rule, severity, status, opened_at,"
          + " resolved_at, detail, version, updated_at, withdrawn";

  private final KpiOptions options;
  private final boolean toKafka;
  private final AlertWebhookSink.Settings webhook;

  /** Results, rejections and alerts to ClickHouse only. */
  public ClickHouseSinks(KpiOptions options) {
    this(options, false);
  }

  /**
   * @param toKafka also send rejections to the dead-letter topic {@code kpi-rejected} and alert
   *     versions to {@code project-alerts} (streaming runs; a backfill does so only when given a
   *     Kafka explicitly, so it runs without one)
   */
  public ClickHouseSinks(KpiOptions options, boolean toKafka) {
    this(
        options,
        toKafka,
        options.alertWebhook() == null
            ? null
            : AlertWebhookSink.Settings.of(options.alertWebhook()));
  }

  /**
   * @param webhook where to POST every alert version too, or null (the two-argument constructor
   *     takes {@code --alert-webhook} from the options)
   */
  public ClickHouseSinks(KpiOptions options, boolean toKafka, AlertWebhookSink.Settings webhook) {
    this.options = options;
    this.toKafka = toKafka;
    this.webhook = webhook;
  }

  @Override
  public void serviceRows(DataStream<ServiceKpiRow> rows) {
    write(rows, "kpi_service", SERVICE_COLUMNS, ClickHouseSinks::bindService);
  }

  @Override
  public void marketRows(DataStream<MarketKpiRow> rows) {
    write(rows, "kpi_market", MARKET_COLUMNS, ClickHouseSinks::bindMarket);
  }

  @Override
  public void rejections(DataStream<Rejection> rejections) {
    write(rejections, "rejected_events", REJECTED_COLUMNS, ClickHouseSinks::bindRejection);
    if (toKafka) {
      rejections
          .sinkTo(DeadLetters.sink(options, KpiOptions.TOPIC_REJECTED))
          .name("kafka kpi-rejected")
          .uid("sink-kpi-rejected");
    }
  }

  @Override
  public void projectRows(DataStream<ProjectKpiRow> rows) {
    write(rows, "kpi_project", PROJECT_COLUMNS, ClickHouseSinks::bindProject);
  }

  /**
   * Alert versions to {@code project_alerts} and, as JSON, to the topic {@code project-alerts} and
   * the webhook if one is set.
   */
  @Override
  public void projectAlerts(DataStream<ProjectAlert> alerts) {
    write(alerts, "project_alerts", ALERT_COLUMNS, ClickHouseSinks::bindAlert);
    if (toKafka) {
      alerts
          .sinkTo(AlertKafkaSink.build(options))
          .name("kafka project-alerts")
          .uid("sink-kafka-project-alerts");
    }
    if (webhook != null) {
      AlertWebhookSink.attach(alerts, webhook, options.zone());
    }
  }

  /** Attaches the ClickHouse sink of a table; its uid ({@code sink-kpi-service}, …) is stable. */
  private <T> void write(
      DataStream<T> rows, String table, String columns, JdbcStatementBuilder<T> binder) {
    rows.sinkTo(sink(table, columns, binder))
        .name("clickhouse " + table)
        .uid("sink-" + table.replace('_', '-'));
  }

  private <T> ClickHouseSink<T> sink(String table, String columns, JdbcStatementBuilder<T> binder) {
    ClickHouseEndpoint ch = options.clickhouse();
    int n = columns.split(",").length;
    String sql =
        "INSERT INTO "
            + ch.table(table)
            + " ("
            + columns
            + ") VALUES ("
            + "?, ".repeat(n - 1)
            + "?)";
    return new ClickHouseSink<>(
        ch.table(table),
        sql,
        binder,
        new JdbcConnectionOptions.JdbcConnectionOptionsBuilder()
            .withUrl(ch.jdbcUrl())
            .withDriverName(DRIVER)
            .withUsername(ch.user())
            .withPassword(ch.password())
            .build(),
        new ClickHouseSink.Settings(
            options.sinkBatchRows(),
            options.sinkBatchInterval(),
            options.sinkMaxRetries(),
            java.time.Duration.ofSeconds(10)));
  }

  public static void bindService(PreparedStatement ps, ServiceKpiRow r) throws SQLException {
    int i = bindKey(ps, r.period(), r.periodStart(), r.periodEnd(), r.scope(), r.scopeKey());
    ps.setLong(i++, r.accepted());
    ps.setLong(i++, r.completed());
    ps.setLong(i++, r.rejected());
    ps.setLong(i++, r.completedOnTime());
    ps.setLong(i++, r.completedOnline());
    ps.setLong(i++, r.completedZeroVisit());
    ps.setDouble(i++, r.processingHoursSum());
    ps.setDouble(i++, r.processingHoursMax());
    ps.setLong(i++, r.promisedDaysSum());
    ps.setLong(i++, r.statutoryDaysSum());
    ps.setLong(i++, r.satisfactionResponses());
    ps.setLong(i++, r.satisfactionPositive());
    bindVersion(ps, i, r.events(), r.isFinal(), r.version(), r.updatedAtMillis());
  }

  static void bindMarket(PreparedStatement ps, MarketKpiRow r) throws SQLException {
    int i = bindKey(ps, r.period(), r.periodStart(), r.periodEnd(), r.scope(), r.scopeKey());
    ps.setInt(i++, r.marketsReporting());
    ps.setLong(i++, r.observations());
    ps.setLong(i++, r.stallsOccupiedSum());
    ps.setLong(i++, r.stallsTotalSum());
    ps.setLong(i++, r.stallsOccupiedPeak());
    ps.setInt(i++, r.marketsOperating());
    ps.setInt(i++, r.marketsUpgrading());
    ps.setInt(i++, r.marketsClosed());
    ps.setLong(i++, r.workersRegisteredLatest());
    ps.setLong(i++, r.jobsMatched());
    bindVersion(ps, i, r.events(), r.isFinal(), r.version(), r.updatedAtMillis());
  }

  static void bindProject(PreparedStatement ps, ProjectKpiRow r) throws SQLException {
    int i = bindKey(ps, r.period(), r.periodStart(), r.periodEnd(), r.scope(), r.scopeKey());
    ps.setLong(i++, r.projects());
    ps.setBigDecimal(i++, Money.yuan(r.plannedYearCents()));
    ps.setBigDecimal(i++, Money.yuan(r.investmentCents()));
    ps.setBigDecimal(i++, Money.yuan(r.investmentYtdCents()));
    ps.setLong(i++, r.projectsReporting());
    ps.setLong(i++, r.started());
    ps.setLong(i++, r.halfComplete());
    ps.setLong(i++, r.trialRun());
    ps.setLong(i++, r.inProduction());
    ps.setLong(i++, r.completed());
    ps.setDouble(i++, r.progressPctAvg());
    bindVersion(ps, i, r.events(), r.isFinal(), r.version(), r.updatedAtMillis());
  }

  /** The key columns every KPI table starts with; returns the next parameter index. */
  private static int bindKey(
      PreparedStatement ps,
      String period,
      java.time.LocalDate start,
      java.time.LocalDate end,
      String scope,
      String key)
      throws SQLException {
    ps.setString(1, period);
    ps.setObject(2, start);
    ps.setObject(3, end);
    ps.setString(4, scope);
    ps.setString(5, key);
    return 6;
  }

  /** The columns every KPI table ends with: events, is_final, version, updated_at. */
  private static void bindVersion(
      PreparedStatement ps, int i, long events, boolean isFinal, long version, long updatedAtMillis)
      throws SQLException {
    ps.setLong(i, events);
    ps.setInt(i + 1, isFinal ? 1 : 0);
    ps.setLong(i + 2, version);
    ps.setLong(i + 3, updatedAtMillis / 1000);
  }

  static void bindAlert(PreparedStatement ps, ProjectAlert a) throws SQLException {
    int i = 1;
    ps.setString(i++, a.alertId());
    ps.setString(i++, a.projectId());
    ps.setString(i++, a.projectName());
    ps.setString(i++, a.county());
    ps.setString(i++, a.chain());
    ps.setString(i++, a.rule());
    ps.setString(i++, a.severity());
    ps.setString(i++, a.status());
    ps.setLong(i++, a.openedAt() / 1000);
    ps.setLong(i++, a.resolvedAt() / 1000);
    ps.setString(i++, a.detail());
    ps.setLong(i++, a.version());
    ps.setLong(i++, a.updatedAt() / 1000);
    ps.setInt(i, a.withdrawn() ? 1 : 0);
  }

  static void bindRejection(PreparedStatement ps, Rejection r) throws SQLException {
    int i = 1;
    ps.setLong(i++, r.receivedAt() / 1000);
    ps.setString(i++, r.source());
    ps.setInt(i++, r.partition());
    ps.setLong(i++, r.offset());
    ps.setString(i++, r.eventId());
    ps.setString(i++, r.reason());
    ps.setString(i++, r.detail());
    ps.setString(i, r.raw());
  }
}
