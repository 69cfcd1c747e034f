package cn.xingan.kpi.config;

/**
 * The entries that take options: the {@code bin/kpi} commands and the job jar's own {@code main}
 * under {@code flink run}. The option table says which options each accepts, so a command can name
 * an option that belongs elsewhere instead of calling it unknown.
 */
public enum Command {
  QUICKSTART("quickstart"),
  RUN("run"),
  BACKFILL("backfill"),
  INIT_DB("init-db"),
  /** {@code bin/kpi local start|status|stop}: the local ClickHouse and Kafka in the background. */
  LOCAL("local"),
  /** {@code bin/kpi produce --input PATH}: JSON Lines into Kafka, keyed as the contract says. */
  PRODUCE("produce"),
  /** The shaded jar's entry under {@code flink run}: streaming, or a backfill with --input. */
  FLINK_RUN("flink run");

  private final String code;

  Command(String code) {
    this.code = code;
  }

  /** The name users type, e.g. {@code init-db}. */
  public String code() {
    return code;
  }
}
