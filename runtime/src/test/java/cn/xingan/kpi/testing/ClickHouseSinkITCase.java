package cn.xingan.kpi.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import cn.xingan.kpi.app.FlinkSettings;
import cn.xingan.kpi.config.ClickHouseEndpoint;
import cn.xingan.kpi.config.EngineOptions;
import cn.xingan.kpi.config.KpiOptions;
import cn.xingan.kpi.local.ClickHouseServer;
import cn.xingan.kpi.local.LocalMetrics;
import cn.xingan.kpi.service.ServiceKpiRow;
import cn.xingan.kpi.sink.ClickHouseHttp;
import cn.xingan.kpi.sink.ClickHouseSinks;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Map;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The ClickHouse sink against a real server: every row arrives once in batches, an outage in the
 * middle of a run is waited out without losing a row, and a missing column stops the job with a
 * message naming the table and the column instead of restarting forever.
 */
class ClickHouseSinkITCase {
  @RegisterExtension static final ClickHouseExtension CLICKHOUSE = new ClickHouseExtension();

  private static KpiOptions options(ClickHouseEndpoint ch) {
    return KpiOptions.builder()
        .clickhouse(ch)
        .sinkBatchRows(500)
        .sinkBatchInterval(Duration.ofMillis(200))
        .build();
  }

  private static final EngineOptions ENGINE =
      EngineOptions.defaults().withCheckpointInterval(Duration.ofSeconds(1));

  /** Row i: a distinct service scope key, accepted = i, so sums and counts identify rows. */
  private static final class Row implements MapFunction<Long, ServiceKpiRow> {
    private final String scope;
    private final long sleepEvery;

    Row(String scope, long sleepEvery) {
      this.scope = scope;
      this.sleepEvery = sleepEvery;
    }

    @Override
    public ServiceKpiRow map(Long i) throws Exception {
      if (sleepEvery > 0 && i % sleepEvery == 0) {
        Thread.sleep(100);
      }
      LocalDate d = LocalDate.of(2026, 6, 1);
      return new ServiceKpiRow(
          "month",
          d,
          d.withDayOfMonth(30),
          scope,
          "s-" + i,
          i,
          0,
          0,
          0,
          0,
          0,
          0.0,
          0.0,
          0,
          0,
          0,
          0,
          1,
          true,
          3,
          0);
    }
  }

  /** Rows of a scope of the test's own, so tests sharing the table do not see each other. */
  private static void sinkRows(
      StreamExecutionEnvironment env, KpiOptions o, String scope, long n, long pace) {
    DataStream<ServiceKpiRow> rows = env.fromSequence(1, n).map(new Row(scope, pace));
    new ClickHouseSinks(o).serviceRows(rows);
  }

  private static Map<String, Object> countAndSum(ClickHouseHttp http, String scope, String fin) {
    return http.queryJson(
            "SELECT count() AS rows, sum(accepted) AS total FROM kpi_service "
                + fin
                + " WHERE scope = '"
                + scope
                + "'")
        .get(0);
  }

  @Test
  void everyRowArrivesOnceInBatches() throws Exception {
    ClickHouseHttp http = CLICKHOUSE.http();
    KpiOptions o = options(CLICKHOUSE.endpoint());
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(FlinkSettings.batch(ENGINE));
    env.setParallelism(2);
    sinkRows(env, o, "batches", 12_345, 0);
    env.execute("sink rows");
    Map<String, Object> r = countAndSum(http, "batches", "FINAL");
    assertThat(((Number) r.get("rows")).longValue()).isEqualTo(12_345);
    // 1 + 2 + ... + 12345
    assertThat(((Number) r.get("total")).longValue()).isEqualTo(12_345L * 12_346 / 2);
    // Without FINAL: nothing was written twice either.
    assertThat(((Number) countAndSum(http, "batches", "").get("rows")).longValue())
        .isEqualTo(12_345);
  }

  @Test
  void anOutageIsWaitedOutWithoutLosingRows() throws Exception {
    ClickHouseServer server = CLICKHOUSE.localServer().orElse(null);
    assumeTrue(server != null, "needs the launched ClickHouse (not CLICKHOUSE_URL) to stop it");
    ClickHouseHttp http = CLICKHOUSE.http();
    KpiOptions o = options(CLICKHOUSE.endpoint());
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(
            LocalMetrics.addTo(FlinkSettings.streaming(ENGINE)));
    env.setParallelism(2);
    // About 10 s of rows: 100 ms pause every 50 rows on each of two subtasks.
    sinkRows(env, o, "outage", 10_000, 50);
    JobClient job = env.executeAsync("sink through an outage");
    Thread.sleep(3_000);
    server.kill(); // stop() would let ClickHouse finish the open connection's work first
    Thread.sleep(8_000);
    server.start();
    job.getJobExecutionResult().get();
    assertThat(LocalMetrics.counterSum(job.getJobID(), "clickhouseRetries"))
        .as("write retries: the sink met the outage")
        .isPositive();
    Map<String, Object> r = countAndSum(http, "outage", "FINAL");
    assertThat(((Number) r.get("rows")).longValue()).isEqualTo(10_000);
    assertThat(((Number) r.get("total")).longValue()).isEqualTo(10_000L * 10_001 / 2);
  }

  @Test
  void aMissingColumnStopsTheJobNamingTableAndColumn() throws Exception {
    ClickHouseHttp http = CLICKHOUSE.http();
    String db = CLICKHOUSE.endpoint().database() + "_old";
    ClickHouseEndpoint old =
        new ClickHouseEndpoint(
            CLICKHOUSE.endpoint().url(),
            CLICKHOUSE.endpoint().user(),
            CLICKHOUSE.endpoint().password(),
            db);
    ClickHouseHttp oldHttp = new ClickHouseHttp(old);
    oldHttp.createDatabaseIfMissing();
    try {
      // A kpi_service of an older schema: no `events` column.
      String ddl =
          http.query("SHOW CREATE TABLE kpi_service")
              .trim()
              .replace("\\'", "'")
              .replaceAll(",\\s*events UInt64", "")
              .replaceFirst("CREATE TABLE \\S+", "CREATE TABLE " + db + ".kpi_service");
      oldHttp.execute(ddl);
      assertThat(
              oldHttp.query(
                  "SELECT name FROM system.columns WHERE database = '"
                      + db
                      + "' AND table = 'kpi_service' AND name = 'events'"))
          .isBlank();
      KpiOptions o = options(old);
      StreamExecutionEnvironment env =
          StreamExecutionEnvironment.getExecutionEnvironment(FlinkSettings.streaming(ENGINE));
      env.setParallelism(1);
      sinkRows(env, o, "old", 10, 0);
      long start = System.nanoTime();
      assertThatThrownBy(() -> env.execute("sink into an old schema"))
          .hasStackTraceContaining("table " + db + ".kpi_service")
          .hasStackTraceContaining("column events")
          .hasStackTraceContaining("bin/kpi init-db");
      // Stopped at once: no round of restarts with backoff.
      assertThat((System.nanoTime() - start) / 1e9).isLessThan(30);
    } finally {
      oldHttp.dropDatabaseIfExists();
    }
  }
}
