package cn.xingan.kpi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import cn.xingan.kpi.testing.CliCall;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user sees of {@code bin/kpi} when something is wrong: exit 2 with one line naming the bad
 * option and its source, exit 1 with one or two lines for a failure (the stack trace only with
 * {@code --verbose}), and never a password.
 */
class KpiCliTest {
  @TempDir Path dir;

  private static CliCall cli(Map<String, String> env, String... args) {
    return CliCall.run(env, args);
  }

  private static CliCall cli(String... args) {
    return CliCall.run(args);
  }

  /** A port nothing listens on: bound and released. */
  private static int closedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void anUnknownCommandIsUsage() {
    CliCall r = cli("frobnicate");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("unknown command 'frobnicate'").contains("Usage: bin/kpi");
  }

  @Test
  void anUnknownOptionIsOneLineAndExitTwo() {
    CliCall r = cli("run", "--zoen", "UTC");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.errLines()).isEqualTo(1);
    assertThat(r.err()).startsWith("bin/kpi run: unknown option --zoen");
  }

  @Test
  void aBadOptionInTheEnvironmentNamesTheVariable() {
    CliCall r = cli(Map.of("KPI_ALLOWED_LATENESS", "a week"), "init-db");
    // init-db does not take --allowed-lateness: a shared environment may set it for run
    assertThat(r.err()).doesNotContain("KPI_ALLOWED_LATENESS");
    CliCall run = cli(Map.of("KPI_ALLOWED_LATENESS", "a week"), "run");
    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err())
        .contains("--allowed-lateness 'a week' (from environment variable KPI_ALLOWED_LATENESS)")
        .contains("e.g. 10s or 7d");
    CliCall unknown = cli(Map.of("KPI_CLICKHOUSE_URI", "http://x"), "init-db");
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.err()).contains("KPI_CLICKHOUSE_URI");
  }

  @Test
  void aBadOptionInTheConfigFileNamesTheFile() throws Exception {
    Path file = dir.resolve("kpi.yaml");
    Files.writeString(file, "database: 'kpi; DROP TABLE x'\n");
    CliCall r = cli("init-db", "--config", file.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.errLines()).isEqualTo(1);
    assertThat(r.err()).contains("(from config file " + file + ")").contains("plain identifier");
  }

  @Test
  void backfillWithoutInputSaysWhatIsRequired() {
    CliCall r = cli("backfill");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--input is required for backfill");
  }

  @Test
  void helpListsTheCommandsOptions() {
    CliCall r = cli("backfill", "--help");
    assertThat(r.code()).isZero();
    assertThat(r.out())
        .contains("Usage: bin/kpi backfill --input PATH")
        .contains("--input PATH")
        .contains("--clickhouse-url")
        .contains("KPI_")
        .doesNotContain("--duration");
  }

  @Test
  void anUnreachableClickHouseIsAShortFailureWithoutThePassword() throws Exception {
    String url = "http://127.0.0.1:" + closedPort();
    CliCall r = cli(Map.of("CLICKHOUSE_PASSWORD", "hunter2"), "init-db", "--clickhouse-url", url);
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.errLines()).isLessThanOrEqualTo(2);
    assertThat(r.err()).startsWith("bin/kpi init-db failed: ").contains("127.0.0.1");
    assertThat(r.err() + r.out()).doesNotContain("hunter2").doesNotContain("\tat ");

    CliCall verbose =
        cli(
            Map.of("CLICKHOUSE_PASSWORD", "hunter2"),
            "init-db",
            "--clickhouse-url",
            url,
            "--verbose");
    assertThat(verbose.code()).isEqualTo(1);
    assertThat(verbose.err()).contains("\tat ").doesNotContain("hunter2");
  }
}
