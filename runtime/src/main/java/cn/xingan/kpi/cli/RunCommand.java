package cn.xingan.kpi.cli;

import cn.xingan.kpi.config.OptionsParser;
import cn.xingan.kpi.job.KpiJobMain;
import java.util.Set;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** {@code bin/kpi run}: the streaming jobs on a local Flink, until Ctrl-C. */
final class RunCommand {
  static final Set<String> EXTRA = Set.of("parallelism");
  static final String HELP =
      """
      Usage: bin/kpi run [--parallelism N] [options]

      Runs the streaming jobs on a local Flink against the configured Kafka (--kafka-bootstrap)
      and ClickHouse (--clickhouse-url), creating the schema when it is missing, until Ctrl-C.
      On a Flink cluster, run the same jobs with:
        flink run jobs/target/kpi-jobs-0.1.0-SNAPSHOT-flink.jar [options]

        --parallelism N        local parallelism (default: 1)
      """;

  private RunCommand() {}

  static int run(OptionsParser.Parsed parsed) throws Exception {
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(
            KpiJobMain.flinkConfig(parsed.options(), false));
    env.setParallelism(Backfill.parallelism(parsed));
    KpiJobMain.stream(env, parsed.options());
    return 0;
  }
}
