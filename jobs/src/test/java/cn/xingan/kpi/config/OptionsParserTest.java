package cn.xingan.kpi.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The command line of the jobs: the contract's defaults (CONTRACT.md sections 2 and 4), both {@code
 * --x=y} and {@code --x y}, messages that name the option and the bad value, and arguments left for
 * the commands.
 */
class OptionsParserTest {

  private static OptionsParser.Parsed parse(String... args) {
    return OptionsParser.parse(args);
  }

  private static KpiOptions options(String... args) {
    return parse(args).options();
  }

  @Test
  void defaultsAreTheContracts() {
    KpiOptions o = options();
    assertThat(o.clickhouse().url()).isEqualTo("http://127.0.0.1:8123");
    assertThat(o.clickhouse().database()).isEqualTo("kpi");
    assertThat(o.kafkaBootstrap()).isEqualTo("127.0.0.1:9092");
    assertThat(o.zone()).isEqualTo(ZoneId.of("Asia/Shanghai"));
    assertThat(o.emitInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(o.allowedLateness()).isEqualTo(Duration.ofDays(7));
    assertThat(o.maxFuture()).isEqualTo(Duration.ofDays(1));
  }

  @Test
  void otherDefaults() {
    KpiOptions o = options();
    assertThat(o.clickhouse().user()).isEqualTo("default");
    assertThat(o.stateBackend()).isEqualTo("hashmap");
    assertThat(o.maxRecordBytes()).isEqualTo(1024 * 1024);
    assertThat(o.sinkBatchRows()).isEqualTo(5000);
    assertThat(o.sinkMaxRetries()).isEqualTo(10);
    assertThat(o).isEqualTo(KpiOptions.defaults());
  }

  @Test
  void noArgumentsLeaveNothingOver() {
    OptionsParser.Parsed p = parse();
    assertThat(p.extra()).isEmpty();
    assertThat(p.positional()).isEmpty();
  }

  @Test
  void bothFormsSetAnOption() {
    KpiOptions spaced =
        options(
            "--clickhouse-url",
            "http://ch.example:8123",
            "--database",
            "kpi_test",
            "--kafka-bootstrap",
            "broker-1:9092,broker-2:9092",
            "--zone",
            "Europe/Berlin",
            "--emit-interval",
            "500ms",
            "--allowed-lateness",
            "2h",
            "--max-future",
            "5m",
            "--state-backend",
            "rocksdb",
            "--max-record-bytes",
            "2048");
    KpiOptions equals =
        options(
            "--clickhouse-url=http://ch.example:8123",
            "--database=kpi_test",
            "--kafka-bootstrap=broker-1:9092,broker-2:9092",
            "--zone=Europe/Berlin",
            "--emit-interval=500ms",
            "--allowed-lateness=2h",
            "--max-future=5m",
            "--state-backend=rocksdb",
            "--max-record-bytes=2048");
    assertThat(equals).isEqualTo(spaced);
    assertThat(spaced.clickhouse().url()).isEqualTo("http://ch.example:8123");
    assertThat(spaced.clickhouse().database()).isEqualTo("kpi_test");
    assertThat(spaced.kafkaBootstrap()).isEqualTo("broker-1:9092,broker-2:9092");
    assertThat(spaced.zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
    assertThat(spaced.emitInterval()).isEqualTo(Duration.ofMillis(500));
    assertThat(spaced.allowedLateness()).isEqualTo(Duration.ofHours(2));
    assertThat(spaced.maxFuture()).isEqualTo(Duration.ofMinutes(5));
    assertThat(spaced.stateBackend()).isEqualTo("rocksdb");
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
    assertThat(Durations.parse("max-future", text).toMillis()).isEqualTo(millis);
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

  // ---- bad values: the message names the option and the value ----

  private static void rejects(String option, String value, String... alsoMentions) {
    assertThatThrownBy(() -> options("--" + option, value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--" + option)
        .hasMessageContaining(value)
        .hasMessageContainingAll(alsoMentions.length == 0 ? new String[] {value} : alsoMentions);
    // the same through --x=y
    assertThatThrownBy(() -> options("--" + option + "=" + value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--" + option)
        .hasMessageContaining(value);
  }

  @Test
  void aBadZoneIsNamed() {
    rejects("zone", "Mars/Olympus_Mons", "Asia/Shanghai");
    rejects("zone", "CST+8");
  }

  @Test
  void anEmptyZoneIsNamed() {
    assertThatThrownBy(() -> options("--zone="))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--zone ''");
  }

  @Test
  void aBadDurationIsNamed() {
    rejects("emit-interval", "10 sec", "10s");
    rejects("allowed-lateness", "7days");
    rejects("max-future", "1.5d");
    rejects("out-of-orderness", "PT5M");
    rejects("idleness", "m");
  }

  @Test
  void aNegativeDurationIsNamed() {
    rejects("max-future", "-1d");
    rejects("allowed-lateness", "-7d");
  }

  @Test
  void aDurationTooLongForMillisIsNamed() {
    rejects("allowed-lateness", "99999999999999999999d");
    rejects("allowed-lateness", "106751991168d");
    assertThat(options("--allowed-lateness=106751991167d").allowedLateness().toMillis())
        .isPositive();
  }

  @Test
  void aZeroIntervalIsNamed() {
    rejects("emit-interval", "0s", "greater than zero");
    rejects("checkpoint-interval", "0ms");
    rejects("idleness", "0m");
  }

  @Test
  void negativeAndBadNumbersAreNamed() {
    rejects("sink-batch-rows", "-5", ">= 1");
    rejects("sink-batch-rows", "0", ">= 1");
    rejects("sink-max-retries", "-1", ">= 0");
    rejects("max-record-bytes", "1MB");
    rejects("max-record-bytes", "99999999999");
    rejects("sink-batch-rows", "2.5");
  }

  @Test
  void zeroRetriesAreAllowed() {
    assertThat(options("--sink-max-retries", "0").sinkMaxRetries()).isZero();
  }

  @Test
  void anUnknownStateBackendIsNamed() {
    rejects("state-backend", "memory", "hashmap", "rocksdb");
    rejects("state-backend", "RocksDB");
  }

  @Test
  void aBadClickHouseUrlIsNamed() {
    rejects("clickhouse-url", "ftp://ch:8123", "http://");
    rejects("clickhouse-url", "127.0.0.1:8123");
    rejects("clickhouse-url", "http://ch 1:8123");
  }

  @Test
  void aBadDatabaseIsNamed() {
    rejects("database", "kpi; DROP TABLE x");
    rejects("database", "1kpi");
  }

  @Test
  void anEmptyKafkaBootstrapIsNamed() {
    assertThatThrownBy(() -> options("--kafka-bootstrap="))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--kafka-bootstrap");
  }

  // ---- what is not an option of this holder ----

  @Test
  void unknownOptionsLandInExtra() {
    OptionsParser.Parsed p =
        parse("--input", "data/events.jsonl", "--duration=60s", "--zone", "UTC", "--verbose");
    assertThat(p.extra())
        .containsExactly(
            Map.entry("input", "data/events.jsonl"),
            Map.entry("duration", "60s"),
            Map.entry("verbose", "true"));
    assertThat(p.options().zone()).isEqualTo(ZoneId.of("UTC"));
    assertThat(p.positional()).isEmpty();
  }

  @Test
  void aFlagBeforeAnotherOptionIsTrue() {
    OptionsParser.Parsed p = parse("--dry-run", "--database", "kpi2");
    assertThat(p.extra()).containsExactly(Map.entry("dry-run", "true"));
    assertThat(p.options().clickhouse().database()).isEqualTo("kpi2");
  }

  @Test
  void wordsThatAreNoOptionValuesArePositional() {
    OptionsParser.Parsed p = parse("backfill", "--database", "kpi2", "extra-word");
    assertThat(p.positional()).isEqualTo(List.of("backfill", "extra-word"));
    assertThat(p.options().clickhouse().database()).isEqualTo("kpi2");
  }

  @Test
  void helpListsEveryOptionWithItsDefault() {
    String help = OptionsParser.help();
    for (OptionsParser.Option o : OptionsParser.OPTIONS) {
      assertThat(help).contains("--" + o.name());
    }
    assertThat(help)
        .contains("(default: http://127.0.0.1:8123)")
        .contains("(default: Asia/Shanghai)")
        .contains("(default: 7d)");
  }
}
