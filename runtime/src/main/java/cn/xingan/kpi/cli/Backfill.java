package cn.xingan.kpi.cli;

import cn.xingan.kpi.app.FlinkSettings;
import cn.xingan.kpi.app.Pipelines;
import cn.xingan.kpi.config.CommandOptions;
import cn.xingan.kpi.config.OptionValues;
import cn.xingan.kpi.job.CountRejections;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** {@code bin/kpi backfill --input PATH}: a bounded replay of JSON Lines files. */
final class Backfill {
  static final String HELP =
      """
      Usage: bin/kpi backfill --input PATH [options]

      Replays JSON Lines files (PATH is a file, or a folder whose files are all read) through the
      same pipeline as a bounded job (Flink BATCH mode), then exits. Each line is one event with a
      "stream" field: project-progress, service-transactions or market-stall-counts. Line order
      does not matter, no event is late, and every period ends final. Bad lines go to
      rejected_events. Running the same backfill twice leaves the FINAL results unchanged.
      No Kafka is needed; with an explicit --kafka-bootstrap, rejections and project alerts are
      also published to the topics kpi-rejected and project-alerts.
      """;

  private Backfill() {}

  static int run(OptionValues values) throws Exception {
    CommandOptions.Backfill o = CommandOptions.Backfill.from(values);
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(FlinkSettings.batch(o.engine()));
    long start = System.nanoTime();
    Pipelines.backfill(env, o.job(), o.input(), o.publishToKafka());
    JobExecutionResult result = env.execute("xingan-kpi backfill " + o.input().getFileName());
    System.out.printf(
        "Backfill of %s done in %.1f s into database '%s' at %s%n",
        o.input(),
        (System.nanoTime() - start) / 1e9,
        o.job().clickhouse().database(),
        o.job().clickhouse().url());
    long rejected = 0;
    StringBuilder reasons = new StringBuilder();
    for (var e : new java.util.TreeMap<>(result.getAllAccumulatorResults()).entrySet()) {
      if (e.getKey().startsWith(CountRejections.ACCUMULATOR_PREFIX)) {
        long n = ((Number) e.getValue()).longValue();
        rejected += n;
        reasons
            .append(reasons.length() == 0 ? "" : ", ")
            .append(e.getKey().substring(CountRejections.ACCUMULATOR_PREFIX.length()))
            .append(' ')
            .append(n);
      }
    }
    if (rejected > 0) {
      System.out.println(
          rejected + " line(s) rejected (" + reasons + "); see table rejected_events");
    }
    return 0;
  }
}
