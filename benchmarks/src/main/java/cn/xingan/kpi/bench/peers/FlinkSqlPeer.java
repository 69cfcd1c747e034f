package cn.xingan.kpi.bench.peers;

import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.flink.api.common.functions.FilterFunction;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;

/**
 * The peer a Flink user would write first: the kpi_service figures as Flink SQL over the same Kafka
 * topic — a Kafka table with the json format, calendar keys computed in SQL in the local zone, the
 * events fanned out to period kinds and scopes with {@code UNNEST}, and one group aggregation with
 * mini-batch and local-global (two-phase) aggregation on, as Flink's tuning guide advises. Its
 * changelog is dropped, except the league's year rows, kept to check the count. The source is
 * bounded at the offsets current at start, so the job ends when it has read the topic.
 */
public final class FlinkSqlPeer {
  /** The league's year rows' latest {@code accepted}, by year (the job runs in this JVM). */
  private static final Map<String, Long> LEAGUE_YEARS = new ConcurrentHashMap<>();

  private FlinkSqlPeer() {}

  public static PeerResult run(String kafkaBootstrap, String topic, ZoneId zone, int parallelism)
      throws Exception {
    Configuration conf = new Configuration();
    conf.set(CoreOptions.DEFAULT_PARALLELISM, parallelism);
    conf.set(PipelineOptions.OBJECT_REUSE, true);
    conf.setString("table.exec.mini-batch.enabled", "true");
    conf.setString("table.exec.mini-batch.allow-latency", "1 s");
    conf.setString("table.exec.mini-batch.size", "5000");
    conf.setString("table.optimizer.agg-phase-strategy", "TWO_PHASE");
    conf.setString("table.local-time-zone", zone.getId());
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    StreamTableEnvironment t = StreamTableEnvironment.create(env);
    t.executeSql(
        "CREATE TABLE service (event_time STRING, status STRING, service_code STRING,"
            + " department STRING, county STRING, channel STRING, statutory_days INT,"
            + " promised_days INT, accepted_at STRING, visits INT, satisfaction INT) WITH ("
            + " 'connector' = 'kafka', 'topic' = '"
            + topic
            + "', 'properties.bootstrap.servers' = '"
            + kafkaBootstrap
            + "', 'properties.group.id' = 'bench-sql-peer',"
            + " 'scan.startup.mode' = 'earliest-offset', 'scan.bounded.mode' = 'latest-offset',"
            + " 'format' = 'json', 'json.ignore-parse-errors' = 'true')");
    Table kpis = t.sqlQuery(query());
    LEAGUE_YEARS.clear();
    DataStream<Row> changes = t.toChangelogStream(kpis);
    changes.sinkTo(new DiscardingSink<>()).name("discard");
    changes.filter(new LeagueYear()).map(new Remember()).sinkTo(new DiscardingSink<>());
    long t0 = System.nanoTime();
    env.execute("bench Flink SQL peer");
    double seconds = (System.nanoTime() - t0) / 1e9;
    long accepted = LEAGUE_YEARS.values().stream().mapToLong(Long::longValue).sum();
    return new PeerResult(
        "Flink SQL peer", -1, seconds, -1, accepted, "mini-batch 1 s / 5000, TWO_PHASE");
  }

  /** Every period kind and scope of every event, grouped: the kpi_service figures. */
  static String query() {
    String ts =
        "CAST(TO_TIMESTAMP_LTZ(UNIX_TIMESTAMP(event_time, 'yyyy-MM-dd''T''HH:mm:ssXXX'), 0)"
            + " AS TIMESTAMP(3))";
    String accepted =
        "CAST(TO_TIMESTAMP_LTZ(UNIX_TIMESTAMP(accepted_at, 'yyyy-MM-dd''T''HH:mm:ssXXX'), 0)"
            + " AS TIMESTAMP(3))";
    return "SELECT kind, pstart, sname, skey,"
        + " SUM(CASE WHEN status = 'accepted' THEN 1 ELSE 0 END) AS accepted,"
        + " SUM(CASE WHEN status = 'completed' THEN 1 ELSE 0 END) AS completed,"
        + " SUM(CASE WHEN status = 'rejected' THEN 1 ELSE 0 END) AS rejected,"
        + " SUM(CASE WHEN status = 'completed' AND hours <= promised_days * 24 THEN 1 ELSE 0 END)"
        + " AS completed_on_time,"
        + " SUM(CASE WHEN status = 'completed' AND channel = 'online' THEN 1 ELSE 0 END)"
        + " AS completed_online,"
        + " SUM(CASE WHEN status = 'completed' AND visits = 0 THEN 1 ELSE 0 END)"
        + " AS completed_zero_visit,"
        + " SUM(CASE WHEN status = 'completed' THEN hours ELSE 0 END) AS processing_hours_sum,"
        + " MAX(CASE WHEN status = 'completed' THEN hours ELSE 0 END) AS processing_hours_max,"
        + " SUM(CASE WHEN status = 'completed' THEN promised_days ELSE 0 END)"
        + " AS promised_days_sum,"
        + " SUM(CASE WHEN status = 'completed' THEN statutory_days ELSE 0 END)"
        + " AS statutory_days_sum,"
        + " SUM(CASE WHEN status = 'completed' AND satisfaction IS NOT NULL THEN 1 ELSE 0 END)"
        + " AS satisfaction_responses,"
        + " SUM(CASE WHEN status = 'completed' AND satisfaction >= 4 THEN 1 ELSE 0 END)"
        + " AS satisfaction_positive"
        + " FROM (SELECT *,"
        + " CASE WHEN status = 'completed' THEN"
        + " CAST(TIMESTAMPDIFF(SECOND, a, ts) AS DOUBLE) / 3600 ELSE 0 END AS hours,"
        + " DATE_FORMAT(TIMESTAMPADD(DAY, -MOD(DAYOFWEEK(ts) + 5, 7), ts), 'yyyy-MM-dd') AS wk,"
        + " CONCAT(DATE_FORMAT(ts, 'yyyy-MM-'),"
        + " CASE WHEN DAYOFMONTH(ts) <= 15 THEN '01' ELSE '16' END) AS half,"
        + " DATE_FORMAT(ts, 'yyyy-MM-01') AS mon,"
        + " CONCAT(DATE_FORMAT(ts, 'yyyy-'), CAST(QUARTER(ts) AS STRING)) AS qtr,"
        + " DATE_FORMAT(ts, 'yyyy') AS yr"
        + " FROM (SELECT *, "
        + ts
        + " AS ts, CASE WHEN status = 'completed' THEN "
        + accepted
        + " END AS a FROM service))"
        + " CROSS JOIN UNNEST(ARRAY[ROW('week', wk), ROW('half_month', half),"
        + " ROW('month', mon), ROW('quarter', qtr), ROW('year', yr)]) AS P(kind, pstart)"
        + " CROSS JOIN UNNEST(ARRAY[ROW('league', 'league'), ROW('county', county),"
        + " ROW('department', department), ROW('service', service_code),"
        + " ROW('channel', channel)]) AS S(sname, skey)"
        + " GROUP BY kind, pstart, sname, skey";
  }

  private static final class LeagueYear implements FilterFunction<Row> {
    @Override
    public boolean filter(Row r) {
      return "league".equals(r.getField("sname")) && "year".equals(r.getField("kind"));
    }
  }

  private static final class Remember implements MapFunction<Row, Row> {
    @Override
    public Row map(Row r) {
      if (r.getKind() == RowKind.INSERT || r.getKind() == RowKind.UPDATE_AFTER) {
        LEAGUE_YEARS.put(
            String.valueOf(r.getField("pstart")), ((Number) r.getField("accepted")).longValue());
      }
      return r;
    }
  }
}
