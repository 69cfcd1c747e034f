package cn.xingan.kpi.cli;

import cn.xingan.kpi.app.FlinkSettings;
import cn.xingan.kpi.app.Pipelines;
import cn.xingan.kpi.config.CommandOptions;
import cn.xingan.kpi.config.OptionValues;
import cn.xingan.kpi.web.LivePage;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** {@code bin/kpi run}: the streaming jobs on a local Flink, until Ctrl-C. */
final class RunCommand {
  static final String HELP =
      """
      Usage: bin/kpi run [options]

      Runs the streaming jobs on a local Flink against the configured Kafka (--kafka-bootstrap)
      and ClickHouse (--clickhouse-url), creating the schema when it is missing, until Ctrl-C.
      On a Flink cluster, run the same jobs with:
        flink run jobs/target/kpi-jobs-0.1.0-SNAPSHOT-flink.jar [options]
      """;

  private RunCommand() {}

  static int run(OptionValues values) throws Exception {
    CommandOptions.Run o = CommandOptions.Run.from(values);
    StreamExecutionEnvironment env =
        StreamExecutionEnvironment.getExecutionEnvironment(
            FlinkSettings.streaming(MetricsEndpoint.prepare(o.engine())));
    Pipelines.streaming(env, o.job());
    try (LivePage page =
        WebPage.start(
            o.webPort(), values.given("web-port"), o.job().clickhouse(), o.job().zone())) {
      env.execute("xingan-kpi streaming");
    }
    return 0;
  }
}
