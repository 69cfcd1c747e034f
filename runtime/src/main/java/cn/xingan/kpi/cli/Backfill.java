package cn.xingan.kpi.cli;

import cn.xingan.kpi.config.OptionsParser;
import cn.xingan.kpi.job.CountRejections;
import cn.xingan.kpi.job.KpiJobMain;
import java.nio.file.Path;
import java.util.Set;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** {@code bin/kpi backfill --input PATH}: a bounded replay of JSON Lines files. */
final class Backfill {
  static final Set<String> EXTRA = Set.of("input", "parallelism");
  static final String HELP =
      """
      Usage: bin/kpi backfill --input PATH [--parallelism N] [options]

      Replays JSON Lines files (PATH is a file, or a folder whose files are all read) through the
      same pipeline as a bounded job (Flink BATCH mode), then exits. Each line is one event with a
      "stream" field: project-progress, service-transactions or market-stall-counts. Line order
      does not matter, no event is late, and every period ends final. Bad lines go to
      rejected_events. Running the same backfill twice leaves the FINAL results unchanged.
      No Kafka is needed; with an explicit --kafka-bootstrap, rejections and project alerts are
      also published to the topics kpi-rejected and project-alerts.

        --input PATH           file or folder of JSON Lines (required)
        --parallelism N        local parallelism (default: 1)
      """;

  private Backfill() {}

  static int run(OptionsParser.Parsed parsed) throws Exception {
    String input = parsed.extra().get("input");
    if (input == null || input.equals("true")) {
      throw new IllegalArgumentException("--input PATH is required (a JSON Lines file or folder)");
    }
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(
            KpiJobMain.flinkConfig(parsed.options(), true));
    env.setParallelism(parallelism(parsed));
    long start = System.nanoTime();
    JobExecutionResult result =
        KpiJobMain.backfill(
            env, parsed.options(), Path.of(input), parsed.given().contains("kafka-bootstrap"));
    System.out.printf(
        "Backfill of %s done in %.1f s into database '%s' at %s%n",
        input,
        (System.nanoTime() - start) / 1e9,
        parsed.options().clickhouse().database(),
        parsed.options().clickhouse().url());
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

  static int parallelism(OptionsParser.Parsed parsed) {
    String p = parsed.extra().getOrDefault("parallelism", "1");
    try {
      int n = Integer.parseInt(p);
      if (n >= 1 && n <= 64) {
        return n;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw new IllegalArgumentException("--parallelism '" + p + "' must be a whole number 1-64");
  }
}
