package cn.xingan.kpi.app;

import cn.xingan.kpi.config.Command;
import cn.xingan.kpi.config.CommandOptions;
import cn.xingan.kpi.config.OptionSources;
import cn.xingan.kpi.config.OptionTable;
import cn.xingan.kpi.config.OptionValues;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Entry point of the job jar ({@code flink run … kpi-jobs-…-flink.jar [options]}): the streaming
 * jobs against Kafka and ClickHouse, or with {@code --input PATH} a bounded backfill of JSON Lines
 * files. Options come from the arguments, {@code KPI_*} variables and {@code --config FILE} as for
 * {@code bin/kpi}; engine settings only where the user gave them, so the cluster's configuration
 * (state backend, checkpoint storage, parallelism) wins otherwise.
 */
public final class KpiJobMain {
  private KpiJobMain() {}

  public static void main(String[] args) throws Exception {
    OptionValues values = OptionSources.resolve(Command.FLINK_RUN, args, System.getenv());
    if (values.flag("help")) {
      System.out.println(
          "Usage: flink run kpi-jobs-flink.jar [--input PATH] [options]\n"
              + "Streams Kafka into ClickHouse KPIs; with --input, backfills JSON Lines files and"
              + " exits.\n"
              + OptionTable.help(Command.FLINK_RUN));
      return;
    }
    if (values.text("input") != null) {
      CommandOptions.Backfill o = CommandOptions.Backfill.from(values);
      StreamExecutionEnvironment env =
          StreamExecutionEnvironment.getExecutionEnvironment(FlinkSettings.batch(o.engine()));
      Pipelines.backfill(env, o.job(), o.input(), o.publishToKafka());
      env.execute("xingan-kpi backfill " + o.input().getFileName());
    } else {
      CommandOptions.Run o = CommandOptions.Run.from(values);
      StreamExecutionEnvironment env =
          StreamExecutionEnvironment.getExecutionEnvironment(
              FlinkSettings.streaming(o.engine(), true));
      Pipelines.streaming(env, o.job());
      env.execute("xingan-kpi streaming");
    }
  }
}
