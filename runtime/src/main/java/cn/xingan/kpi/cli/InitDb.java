package cn.xingan.kpi.cli;

import cn.xingan.kpi.config.OptionsParser;
import cn.xingan.kpi.sink.ClickHouseEndpoint;
import cn.xingan.kpi.sink.SchemaInstaller;
import java.util.Set;

/** {@code bin/kpi init-db}: creates or upgrades the schema; safe to run again. */
final class InitDb {
  static final Set<String> EXTRA = Set.of();
  static final String HELP =
      """
      Usage: bin/kpi init-db [options]

      Creates the database and every table and view of sql/ in ClickHouse, or adds what an older
      schema lacks. Running it again changes nothing.
      """;

  private InitDb() {}

  static int run(OptionsParser.Parsed parsed) {
    ClickHouseEndpoint ch = parsed.options().clickhouse();
    SchemaInstaller.install(ch);
    System.out.println("Schema ready in database '" + ch.database() + "' at " + ch.url());
    return 0;
  }
}
