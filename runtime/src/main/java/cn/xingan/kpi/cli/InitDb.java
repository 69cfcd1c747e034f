package cn.xingan.kpi.cli;

import cn.xingan.kpi.config.CommandOptions;
import cn.xingan.kpi.config.OptionValues;
import cn.xingan.kpi.sink.SchemaInstaller;

/** {@code bin/kpi init-db}: creates or upgrades the schema; safe to run again. */
final class InitDb {
  static final String HELP =
      """
      Usage: bin/kpi init-db [options]

      Creates the database and every table and view of sql/ in ClickHouse, or adds what an older
      schema lacks. Running it again changes nothing.
      """;

  private InitDb() {}

  static int run(OptionValues values) {
    CommandOptions.InitDb o = CommandOptions.InitDb.from(values);
    SchemaInstaller.install(o.clickhouse());
    System.out.println(
        "Schema ready in database '" + o.clickhouse().database() + "' at " + o.clickhouse().url());
    return 0;
  }
}
