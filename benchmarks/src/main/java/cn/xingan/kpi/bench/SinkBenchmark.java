package cn.xingan.kpi.bench;

import cn.xingan.kpi.app.FlinkSettings;
import cn.xingan.kpi.config.ClickHouseEndpoint;
import cn.xingan.kpi.config.EngineOptions;
import cn.xingan.kpi.config.KpiOptions;
import cn.xingan.kpi.local.ClickHouseServer;
import cn.xingan.kpi.service.ServiceKpiRow;
import cn.xingan.kpi.sink.ClickHouseHttp;
import cn.xingan.kpi.sink.ClickHouseSinks;
import cn.xingan.kpi.sink.SchemaInstaller;
import java.time.LocalDate;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.connector.jdbc.JdbcConnectionOptions;
import org.apache.flink.connector.jdbc.JdbcExecutionOptions;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The project's ClickHouse sink against flink-connector-jdbc's {@code JdbcSink} with the same
 * statement, binder and batch size, writing the same rows into a local ClickHouse in one run: rows
 * per second of each and their ratio. (The project's sink exists for its error handling; this shows
 * it costs no throughput.) Usage: {@code bin/bench SinkBenchmark [rows]}.
 */
public final class SinkBenchmark {
  private SinkBenchmark() {}

  public static void main(String[] args) throws Exception {
    long rows = args.length > 0 ? Long.parseLong(args[0]) : 300_000;
    try (ClickHouseServer server = ClickHouseServer.launch()) {
      ClickHouseEndpoint ch = server.endpoint("bench");
      SchemaInstaller.install(ch);
      KpiOptions o = KpiOptions.builder().clickhouse(ch).sinkBatchRows(5000).build();
      double jdbc = Double.MAX_VALUE;
      double ours = Double.MAX_VALUE;
      for (int round = 0; round < 3; round++) {
        jdbc = Math.min(jdbc, run(o, rows, "jdbc", true));
        ours = Math.min(ours, run(o, rows, "ours", false));
      }
      System.out.println(
          new ClickHouseHttp(ch)
              .query("SELECT scope, count() FROM kpi_service FINAL GROUP BY scope ORDER BY scope")
              .trim());
      System.out.printf("%d rows, batches of 5000, parallelism 1, best of 3 rounds%n", rows);
      System.out.printf("flink-connector-jdbc JdbcSink  %9.0f rows/s%n", rows / jdbc);
      System.out.printf("project ClickHouseSink         %9.0f rows/s%n", rows / ours);
      System.out.printf("ratio ClickHouseSink / JdbcSink time: %.2f%n", ours / jdbc);
    }
  }

  private static double run(KpiOptions o, long rows, String scope, boolean jdbcSink)
      throws Exception {
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(
            FlinkSettings.batch(EngineOptions.defaults()));
    env.setParallelism(1);
    DataStream<ServiceKpiRow> stream = env.fromSequence(1, rows).map(new Row(scope));
    if (jdbcSink) {
      stream.sinkTo(
          JdbcSink.<ServiceKpiRow>builder()
              .withQueryStatement(
                  "INSERT INTO bench.kpi_service ("
                      + ClickHouseSinks.SERVICE_COLUMNS
                      + ") VALUES ("
                      + "?, ".repeat(20)
                      + "?)",
                  ClickHouseSinks::bindService)
              .withExecutionOptions(
                  JdbcExecutionOptions.builder().withBatchSize(5000).withMaxRetries(0).build())
              .buildAtLeastOnce(
                  new JdbcConnectionOptions.JdbcConnectionOptionsBuilder()
                      .withUrl(o.clickhouse().jdbcUrl())
                      .withDriverName("com.clickhouse.jdbc.ClickHouseDriver")
                      .withUsername(o.clickhouse().user())
                      .withPassword(o.clickhouse().password())
                      .build()));
    } else {
      new ClickHouseSinks(o).serviceRows(stream);
    }
    long t0 = System.nanoTime();
    env.execute("sink benchmark " + scope);
    return (System.nanoTime() - t0) / 1e9;
  }

  private record Row(String scope) implements MapFunction<Long, ServiceKpiRow> {
    @Override
    public ServiceKpiRow map(Long i) {
      LocalDate d = LocalDate.of(2026, 6, 1);
      return new ServiceKpiRow(
          "month",
          d,
          d.withDayOfMonth(30),
          scope,
          "k" + i,
          i,
          i,
          0,
          i,
          0,
          0,
          1.5,
          1.5,
          5,
          30,
          1,
          1,
          1,
          true,
          3,
          1_780_000_000_000L);
    }
  }
}
