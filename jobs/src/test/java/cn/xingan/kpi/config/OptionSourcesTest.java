package cn.xingan.kpi.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Options from the command line, the environment and a config file (CONTRACT.md §4): the contract's
 * defaults, both {@code --x=y} and {@code --x y}, the order of precedence, unknown and misplaced
 * options from every source, and messages that name the option, the value and its source but never
 * a secret.
 */
class OptionSourcesTest {
  @TempDir Path dir;

  private static OptionValues resolve(Map<String, String> env, String... args) {
    return OptionSources.resolve(Command.RUN, args, env);
  }

  private static KpiOptions options(String... args) {
    return KpiOptions.from(resolve(Map.of(), args));
  }

  private Path yaml(String text) throws Exception {
    Path f = dir.resolve("kpi.yaml");
    Files.writeString(f, text);
    return f;
  }

  @Test
  void defaultsAreTheContracts() {
    KpiOptions o = options();
    assertThat(o.clickhouse().url()).isEqualTo("http://127.0.0.1:8123");
    assertThat(o.clickhouse().database()).isEqualTo("kpi");
    assertThat(o.clickhouse().user()).isEqualTo("default");
    assertThat(o.kafkaBootstrap()).isEqualTo("127.0.0.1:9092");
    assertThat(o.zone()).isEqualTo(ZoneId.of("Asia/Shanghai"));
    assertThat(o.emitInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(o.allowedLateness()).isEqualTo(Duration.ofDays(7));
    assertThat(o.maxFuture()).isEqualTo(Duration.ofDays(1));
    assertThat(o.maxRecordBytes()).isEqualTo(1024 * 1024);
    assertThat(o.sinkBatchRows()).isEqualTo(5000);
    assertThat(o.sinkMaxRetries()).isEqualTo(10);
    assertThat(o.project()).isEqualTo(ProjectOptions.defaults());
    assertThat(o).isEqualTo(KpiOptions.defaults());
  }

  @Test
  void quickstartHasItsOwnDefaults() {
    OptionValues q = OptionSources.resolve(Command.QUICKSTART, new String[0], Map.of());
    assertThat(KpiOptions.from(q).emitInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(EngineOptions.from(q).stateBackend()).isEqualTo("hashmap");
    assertThat(EngineOptions.from(resolve(Map.of())).stateBackend()).isEqualTo("rocksdb");
    // one subtask reads the quickstart's history sooner than two on a 2-core machine
    assertThat(EngineOptions.from(q).parallelism()).isEqualTo(1);
  }

  @Test
  void bothFormsSetAnOption() {
    KpiOptions spaced =
        options(
            "--clickhouse-url", "http://ch.example:8123",
            "--database", "kpi_test",
            "--kafka-bootstrap", "broker-1:9092,broker-2:9092",
            "--zone", "Europe/Berlin",
            "--emit-interval", "500ms",
            "--allowed-lateness", "2h",
            "--max-future", "5m",
            "--max-record-bytes", "2048");
    KpiOptions equals =
        options(
            "--clickhouse-url=http://ch.example:8123",
            "--database=kpi_test",
            "--kafka-bootstrap=broker-1:9092,broker-2:9092",
            "--zone=Europe/Berlin",
            "--emit-interval=500ms",
            "--allowed-lateness=2h",
            "--max-future=5m",
            "--max-record-bytes=2048");
    assertThat(equals).isEqualTo(spaced);
    assertThat(spaced.clickhouse().database()).isEqualTo("kpi_test");
    assertThat(spaced.kafkaBootstrap()).isEqualTo("broker-1:9092,broker-2:9092");
    assertThat(spaced.zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
    assertThat(spaced.emitInterval()).isEqualTo(Duration.ofMillis(500));
    assertThat(spaced.allowedLateness()).isEqualTo(Duration.ofHours(2));
    assertThat(spaced.maxRecordBytes()).isEqualTo(2048);
  }

  @Test
  void aValueMayContainEqualsSigns() {
    assertThat(options("--clickhouse-password=a=b=c").clickhouse().password()).isEqualTo("a=b=c");
  }

  @Test
  void theLastOfARepeatedOptionWins() {
    assertThat(options("--zone", "UTC", "--zone=Asia/Tokyo").zone())
        .isEqualTo(ZoneId.of("Asia/Tokyo"));
  }

  @Test
  void aTrailingSlashOfTheUrlIsDropped() {
    assertThat(options("--clickhouse-url=http://ch:8123/").clickhouse().url())
        .isEqualTo("http://ch:8123");
  }

  @ParameterizedTest
  @CsvSource({
    "0s, 0",
    "0ms, 0",
    "250ms, 250",
    "10s, 10000",
    "5m, 300000",
    "2h, 7200000",
    "7d, 604800000",
    "' 3s ', 3000"
  })
  void durations(String text, long millis) {
    assertThat(Durations.parse(text).toMillis()).isEqualTo(millis);
  }

  @ParameterizedTest
  @CsvSource({"10000, 10s", "604800000, 7d", "7200000, 2h", "300000, 5m", "250, 250ms", "0, 0s"})
  void durationsFormatBackInTheLargestExactUnit(long millis, String text) {
    assertThat(Durations.format(Duration.ofMillis(millis))).isEqualTo(text);
  }

  @Test
  void zeroLatenessAndFutureAreAllowed() {
    KpiOptions o = options("--allowed-lateness=0s", "--max-future=0ms");
    assertThat(o.allowedLateness()).isZero();
    assertThat(o.maxFuture()).isZero();
  }

  // ---- precedence: command line over environment over file over default ----

  @Test
  void theCommandLineWinsOverTheEnvironmentWhichWinsOverTheFile() throws Exception {
    Path file = yaml("zone: Europe/Berlin\nemit-interval: 3s\ndatabase: from_file\n");
    Map<String, String> env =
        Map.of("KPI_CONFIG", file.toString(), "KPI_ZONE", "Asia/Tokyo", "KPI_EMIT_INTERVAL", "4s");
    OptionValues v = resolve(env, "--zone", "UTC");
    KpiOptions o = KpiOptions.from(v);
    assertThat(o.zone()).isEqualTo(ZoneId.of("UTC"));
    assertThat(o.emitInterval()).isEqualTo(Duration.ofSeconds(4));
    assertThat(o.clickhouse().database()).isEqualTo("from_file");
    assertThat(o.allowedLateness()).isEqualTo(Duration.ofDays(7));
    assertThat(v.source("zone")).isEqualTo(OptionSource.COMMAND_LINE);
    assertThat(v.source("emit-interval")).isEqualTo(OptionSource.ENVIRONMENT);
    assertThat(v.source("database")).isEqualTo(OptionSource.CONFIG_FILE);
    assertThat(v.source("allowed-lateness")).isEqualTo(OptionSource.DEFAULT);
  }

  @Test
  void aConfigFileTakesNumbersAndFlagsAsYamlScalars() throws Exception {
    Path file = yaml("sink-batch-rows: 250\nverbose: true\nbehind-plan-pct: 75\n");
    OptionValues v = resolve(Map.of(), "--config", file.toString());
    assertThat(KpiOptions.from(v).sinkBatchRows()).isEqualTo(250);
    assertThat(KpiOptions.from(v).project().behindPlanPct()).isEqualTo(75);
    assertThat(v.flag("verbose")).isTrue();
  }

  @Test
  void anEmptyConfigFileSetsNothing() throws Exception {
    Path file = yaml("# nothing yet\n");
    assertThat(KpiOptions.from(resolve(Map.of(), "--config=" + file)))
        .isEqualTo(KpiOptions.defaults());
  }

  @Test
  void kafkaPropertiesMergeByKeyAcrossSources() throws Exception {
    Path file =
        yaml(
            "kafka-property:\n  security.protocol: SASL_SSL\n  sasl.mechanism: PLAIN\n"
                + "  client.rack: a\n");
    Map<String, String> env =
        Map.of("KPI_CONFIG", file.toString(), "KPI_KAFKA_PROPERTY", "client.rack=b,linger.ms=5");
    KpiOptions o =
        KpiOptions.from(resolve(env, "--kafka-property", "sasl.mechanism=SCRAM-SHA-512"));
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("security.protocol", "SASL_SSL");
    expected.put("sasl.mechanism", "SCRAM-SHA-512");
    expected.put("client.rack", "b");
    expected.put("linger.ms", "5");
    assertThat(o.kafkaProperties()).isEqualTo(expected);
    assertThat(o.kafkaClientProperties())
        .containsEntry("bootstrap.servers", "127.0.0.1:9092")
        .containsEntry("security.protocol", "SASL_SSL");
  }

  @Test
  void aKafkaPropertyMustBeKeyEqualsValue() {
    assertThatThrownBy(() -> resolve(Map.of(), "--kafka-property", "linger.ms"))
        .isInstanceOf(OptionException.class)
        .hasMessageContaining("--kafka-property 'linger.ms'")
        .hasMessageContaining("KEY=VALUE");
  }

  // ---- unknown and misplaced options ----

  @Test
  void anUnknownOptionIsAnErrorOnTheCommandLine() {
    assertThatThrownBy(() -> resolve(Map.of(), "--zoen", "UTC"))
        .isInstanceOf(OptionException.class)
        .hasMessageContaining("unknown option --zoen")
        .hasMessageContaining("bin/kpi run --help");
  }

  @Test
  void anUnknownOptionIsAnErrorInTheEnvironment() {
    assertThatThrownBy(() -> resolve(Map.of("KPI_ZOEN", "UTC")))
        .isInstanceOf(OptionException.class)
        .hasMessageContaining("KPI_ZOEN")
        .hasMessageContaining("--zoen");
  }

  @Test
  void bin_kpisOwnJvmVariableIsNoOption() {
    assertThat(KpiOptions.from(resolve(Map.of("KPI_JAVA_OPTS", "-Xmx2g", "PATH", "/bin"))))
        .isEqualTo(KpiOptions.defaults());
  }

  @Test
  void anUnknownOptionIsAnErrorInAConfigFile() throws Exception {
    Path file = yaml("zone: UTC\nemit-intervall: 5s\n");
    assertThatThrownBy(() -> resolve(Map.of(), "--config", file.toString()))
        .isInstanceOf(OptionException.class)
        .hasMessageContaining("'emit-intervall'")
        .hasMessageContaining(file.toString());
  }

  @Test
  void anotherCommandsOptionIsAnErrorOnTheCommandLineOnly() throws Exception {
    assertThatThrownBy(() -> resolve(Map.of(), "--input", "x.jsonl"))
        .isInstanceOf(OptionException.class)
        .hasMessageContaining("--input is not an option of run")
        .hasMessageContaining("backfill");
    Path file = yaml("input: x.jsonl\nduration: 60s\n");
    assertThat(KpiOptions.from(resolve(Map.of("KPI_INPUT", "y"), "--config", file.toString())))
        .isEqualTo(KpiOptions.defaults());
  }

  @Test
  void aWordThatIsNoOptionIsNamed() {
    assertThatThrownBy(() -> resolve(Map.of(), "--zone", "UTC", "extra-word"))
        .isInstanceOf(OptionException.class)
        .hasMessageContaining("unexpected argument 'extra-word'");
  }

  @Test
  void anOptionWithoutItsValueIsNamed() {
    assertThatThrownBy(() -> resolve(Map.of(), "--zone", "--database", "x"))
        .isInstanceOf(OptionException.class)
        .hasMessageContaining("--zone needs a value");
  }

  @Test
  void aMissingOrBrokenConfigFileIsNamed() throws Exception {
    assertThatThrownBy(() -> resolve(Map.of(), "--config", dir.resolve("nope.yaml").toString()))
        .isInstanceOf(OptionException.class)
        .hasMessageContaining("nope.yaml")
        .hasMessageContaining("no such file");
    Path bad = yaml("zone: [unclosed\n");
    assertThatThrownBy(() -> resolve(Map.of(), "--config", bad.toString()))
        .isInstanceOf(OptionException.class)
        .hasMessageContaining("not valid YAML");
    Path list = yaml("- zone\n- UTC\n");
    assertThatThrownBy(() -> resolve(Map.of(), "--config", list.toString()))
        .isInstanceOf(OptionException.class)
        .hasMessageContaining("must be a mapping");
  }

  // ---- bad values: the message names the option, the value and the source ----

  private static void rejects(String option, String value, String... alsoMentions) {
    for (String[] args : new String[][] {{"--" + option, value}, {"--" + option + "=" + value}}) {
      assertThatThrownBy(() -> build(resolve(Map.of(), args)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("--" + option + " '" + value + "'")
          .hasMessageContainingAll(alsoMentions.length == 0 ? new String[] {value} : alsoMentions);
    }
  }

  private static void build(OptionValues v) {
    KpiOptions.from(v);
    EngineOptions.from(v);
  }

  @Test
  void aBadValueFromTheEnvironmentNamesTheVariable() {
    assertThatThrownBy(() -> options(Map.of("KPI_EMIT_INTERVAL", "0s")))
        .isInstanceOf(OptionException.class)
        .hasMessage(
            "--emit-interval '0s' (from environment variable KPI_EMIT_INTERVAL) must be greater"
                + " than zero");
  }

  @Test
  void aBadValueFromAFileNamesTheFile() throws Exception {
    Path file = yaml("zone: Mars/Olympus_Mons\n");
    assertThatThrownBy(() -> options(Map.of("KPI_CONFIG", file.toString())))
        .isInstanceOf(OptionException.class)
        .hasMessageContaining("--zone 'Mars/Olympus_Mons' (from config file " + file + ")")
        .hasMessageContaining("Asia/Shanghai");
  }

  private static KpiOptions options(Map<String, String> env) {
    return KpiOptions.from(resolve(env));
  }

  @Test
  void badZonesAreNamed() {
    rejects("zone", "Mars/Olympus_Mons", "Asia/Shanghai");
    rejects("zone", "CST+8");
  }

  @Test
  void badDurationsAreNamed() {
    rejects("emit-interval", "10 sec", "10s");
    rejects("allowed-lateness", "7days");
    rejects("max-future", "1.5d");
    rejects("out-of-orderness", "PT5M");
    rejects("idleness", "m");
    rejects("max-future", "-1d");
    rejects("allowed-lateness", "99999999999999999999d", "too long");
    rejects("allowed-lateness", "106751991168d", "too long");
    assertThat(options("--allowed-lateness=106751991167d").allowedLateness().toMillis())
        .isPositive();
  }

  @Test
  void zeroIntervalsAreNamed() {
    rejects("emit-interval", "0s", "greater than zero");
    rejects("checkpoint-interval", "0ms", "greater than zero");
    rejects("idleness", "0m", "greater than zero");
  }

  @Test
  void badNumbersAreNamed() {
    rejects("sink-batch-rows", "-5", ">= 1");
    rejects("sink-batch-rows", "0", ">= 1");
    rejects("sink-max-retries", "-1", ">= 0");
    rejects("max-record-bytes", "1MB");
    rejects("max-record-bytes", "99999999999");
    rejects("sink-batch-rows", "2.5");
    rejects("behind-plan-pct", "0", "from 1 to 100");
    rejects("behind-plan-pct", "101", "from 1 to 100");
    rejects("parallelism", "0", "from 1 to 1024");
    assertThat(options("--sink-max-retries", "0").sinkMaxRetries()).isZero();
  }

  @Test
  void theCriticalThresholdMayNotExceedTheWarningOne() {
    assertThatThrownBy(() -> options("--behind-plan-pct", "60", "--behind-plan-critical-pct", "70"))
        .isInstanceOf(OptionException.class)
        .hasMessageContaining("--behind-plan-critical-pct '70'")
        .hasMessageContaining("from 0 to 60");
  }

  @Test
  void anUnknownStateBackendIsNamed() {
    rejects("state-backend", "memory", "hashmap", "rocksdb");
    rejects("state-backend", "RocksDB");
  }

  @Test
  void badClickHouseUrlsAndDatabasesAreNamed() {
    rejects("clickhouse-url", "ftp://ch:8123", "http://");
    rejects("clickhouse-url", "127.0.0.1:8123");
    rejects("clickhouse-url", "http://ch 1:8123");
    rejects("database", "kpi; DROP TABLE x", "plain identifier");
    rejects("database", "1kpi");
  }

  @Test
  void anEmptyKafkaBootstrapIsNamed() {
    assertThatThrownBy(() -> options("--kafka-bootstrap="))
        .isInstanceOf(OptionException.class)
        .hasMessageContaining("--kafka-bootstrap ''");
  }

  // ---- secrets ----

  @Test
  void thePasswordComesFromTheContractsVariableBelowKpis() {
    assertThat(options(Map.of("CLICKHOUSE_PASSWORD", "s1")).clickhouse().password())
        .isEqualTo("s1");
    assertThat(
            options(Map.of("CLICKHOUSE_PASSWORD", "s1", "KPI_CLICKHOUSE_PASSWORD", "s2"))
                .clickhouse()
                .password())
        .isEqualTo("s2");
  }

  @Test
  void thePasswordMayComeFromAFile() throws Exception {
    Path secret = dir.resolve("pw");
    Files.writeString(secret, "s3cr3t\n");
    assertThat(options("--clickhouse-password-file", secret.toString()).clickhouse().password())
        .isEqualTo("s3cr3t");
    // the command line's file wins over the environment's password
    assertThat(
            KpiOptions.from(
                    resolve(
                        Map.of("CLICKHOUSE_PASSWORD", "env"),
                        "--clickhouse-password-file",
                        secret.toString()))
                .clickhouse()
                .password())
        .isEqualTo("s3cr3t");
    assertThatThrownBy(
            () ->
                options(
                    "--clickhouse-password", "x", "--clickhouse-password-file", secret.toString()))
        .isInstanceOf(OptionException.class)
        .hasMessageContaining("give one of them")
        .hasMessageNotContaining("s3cr3t");
    assertThatThrownBy(
            () -> options("--clickhouse-password-file", dir.resolve("missing").toString()))
        .isInstanceOf(OptionException.class)
        .hasMessageContaining("cannot be read");
  }

  @Test
  void secretsAreNeverShown() {
    OptionValues v =
        resolve(
            Map.of(),
            "--clickhouse-password",
            "hunter2",
            "--kafka-property",
            "sasl.jaas.config=PlainLoginModule required password=\"hunter3\";");
    assertThat(v.describe("clickhouse-password")).doesNotContain("hunter2").contains("***");
    KpiOptions o = KpiOptions.from(v);
    assertThat(o.toString()).doesNotContain("hunter2").doesNotContain("hunter3");
    assertThat(o.clickhouse().toString()).doesNotContain("hunter2");
    assertThat(OptionTable.help(Command.RUN)).doesNotContain("hunter");
  }

  @Test
  void theWebhookMustBeAnHttpUrlAndItsKeyIsNeverShown() {
    String url = "https://alerts.example:8443/hook?token=hunter4";
    KpiOptions o = options("--alert-webhook", url);
    assertThat(o.alertWebhook()).isEqualTo(url);
    assertThat(o.toString()).contains("https://alerts.example:8443/hook").doesNotContain("hunter4");
    assertThat(KpiOptions.defaults().alertWebhook()).isNull();
    assertThatThrownBy(() -> options("--alert-webhook", "ftp://x/hook?token=hunter5"))
        .isInstanceOf(OptionException.class)
        .hasMessageContaining("--alert-webhook '***'")
        .hasMessageContaining("http:// or https://")
        .hasMessageNotContaining("hunter5");
  }

  // ---- engine options: what the user gave, for flink run ----

  @Test
  void engineOptionsKnowWhichWereGiven() {
    EngineOptions none =
        EngineOptions.from(OptionSources.resolve(Command.FLINK_RUN, new String[0], Map.of()));
    assertThat(none.explicit()).isEmpty();
    EngineOptions some =
        EngineOptions.from(
            OptionSources.resolve(
                Command.FLINK_RUN,
                new String[] {"--state-backend", "rocksdb"},
                Map.of("KPI_CHECKPOINT_INTERVAL", "1m")));
    assertThat(some.explicit()).containsExactlyInAnyOrder("state-backend", "checkpoint-interval");
    assertThat(some.checkpointInterval()).isEqualTo(Duration.ofMinutes(1));
  }

  // ---- the builder and the help ----

  @Test
  void theBuilderChangesOnlyWhatItIsTold() {
    KpiOptions o =
        KpiOptions.builder().emitInterval(Duration.ofSeconds(1)).sinkBatchRows(7).build();
    assertThat(o.emitInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(o.sinkBatchRows()).isEqualTo(7);
    assertThat(o.toBuilder().emitInterval(Duration.ofSeconds(10)).sinkBatchRows(5000).build())
        .isEqualTo(KpiOptions.defaults());
  }

  @Test
  void helpListsEveryOptionOfTheCommandWithItsDefault() {
    String help = OptionTable.help(Command.RUN);
    for (Option o : OptionTable.of(Command.RUN)) {
      assertThat(help).contains("--" + o.name());
    }
    assertThat(help)
        .doesNotContain("--input")
        .contains("(default: http://127.0.0.1:8123)")
        .contains("(default: Asia/Shanghai)")
        .contains("(default: 7d)")
        .contains("KPI_");
    assertThat(OptionTable.help(Command.QUICKSTART)).contains("(default: 5s)");
  }
}
