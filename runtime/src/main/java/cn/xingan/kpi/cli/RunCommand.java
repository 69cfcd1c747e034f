package cn.xingan.kpi.cli;

import cn.xingan.kpi.config.CommandOptions;
import cn.xingan.kpi.config.OptionValues;
import cn.xingan.kpi.web.LivePage;

/** {@code bin/kpi run}: the streaming jobs on a local Flink, durably, until Ctrl-C or SIGTERM. */
final class RunCommand {
  static final String HELP =
      """
      Usage: bin/kpi run [options]

      Runs the streaming jobs on a local Flink against the configured Kafka (--kafka-bootstrap)
      and ClickHouse (--clickhouse-url), creating the schema when it is missing.
      State is checkpointed under --state-dir; a run started again resumes from the latest
      completed checkpoint or savepoint there (or --from-savepoint PATH). Ctrl-C or SIGTERM
      stops with a savepoint (exit 0). A start that finds committed offsets for the Kafka group
      but no state refuses, naming the ways out (--state-dir, --from-savepoint, --reset-state).
      On a Flink cluster, run the same jobs with:
        flink run jobs/target/kpi-jobs-0.1.0-SNAPSHOT-flink.jar [options]
      """;

  private RunCommand() {}

  static int run(OptionValues values) throws Exception {
    CommandOptions.Run o = CommandOptions.Run.from(values);
    StreamingRun run =
        StreamingRun.start(
                o.job(),
                o.engine(),
                o.fromSavepoint(),
                o.resetState(),
                o.flinkUiPort(),
                values.given("flink-ui-port"),
                "xingan-kpi streaming",
                System.out)
            .stopOnSignals();
    try (LivePage page =
        WebPage.start(
            o.webPort(), values.given("web-port"), o.job().clickhouse(), o.job().zone())) {
      run.awaitShowingStatus(ProgressLine.stdout());
    }
    return 0;
  }
}
