// `bin/kpi local` and `bin/kpi produce` are what a new user tries first and what the process-level
// tests drive, so they are tested the way a user runs them: real ClickHouse and Kafka processes in
// the background of a temporary data folder, on free ports, through the CLI's own entry point.
package cn.xingan.kpi.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * local start on free ports → status shows both answering → a second start reuses them → produce a
 * JSON Lines file with bad lines (reported by line number, the rest in Kafka with the contract's
 * keys and the lines' bytes as values) → stop → status shows both stopped → produce against the
 * stopped broker exits 1 naming its address.
 */
class LocalCommandsITCase {
  @TempDir Path dir;

  private static CliCall cli(String... args) {
    return CliCall.run(args);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }

  private static List<String> pids(String out) {
    Matcher m = Pattern.compile("pid (\\d+)").matcher(out);
    List<String> found = new java.util.ArrayList<>();
    while (m.find()) {
      found.add(m.group(1));
    }
    return found;
  }

  @Test
  void localServicesAndProduceAsAUserRunsThem() throws Exception {
    String clickhouse = "http://127.0.0.1:" + freePort();
    String kafka = "127.0.0.1:" + freePort();
    String[] where = {
      "--data-dir", dir.resolve("data").toString(),
      "--clickhouse-url", clickhouse,
      "--kafka-bootstrap", kafka
    };
    try {
      CliCall start = cli(concat(new String[] {"local", "start"}, where));
      assertThat(start.code()).as(start.err()).isZero();
      assertThat(start.out()).contains(clickhouse).contains(kafka);
      assertThat(start.out().split("started now", -1)).hasSize(3);
      List<String> startedPids = pids(start.out());
      assertThat(startedPids).hasSize(2);
      assertThat(dir.resolve("data/kafka/kraft-logs")).isDirectory();
      assertThat(dir.resolve("data/clickhouse")).isDirectory();
      // the started ClickHouse has the least-privileged users, passwords in owner-only files
      Path writerPassword = dir.resolve("data/clickhouse/kpi_writer.password");
      assertThat(start.out())
          .contains("--clickhouse-user kpi_writer --clickhouse-password-file " + writerPassword);
      assertThat(java.nio.file.Files.getPosixFilePermissions(writerPassword))
          .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
      String readerPassword =
          java.nio.file.Files.readString(dir.resolve("data/clickhouse/kpi_reader.password"));
      new cn.xingan.kpi.sink.ClickHouseHttp(
              new cn.xingan.kpi.config.ClickHouseEndpoint(clickhouse, "default", "", "default"))
          .execute("CREATE DATABASE IF NOT EXISTS kpi");
      cn.xingan.kpi.sink.ClickHouseHttp asReader =
          new cn.xingan.kpi.sink.ClickHouseHttp(
              new cn.xingan.kpi.config.ClickHouseEndpoint(
                  clickhouse, "kpi_reader", readerPassword, "kpi"));
      assertThat(asReader.query("SELECT 6 * 7").trim()).isEqualTo("42");
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> asReader.execute("CREATE DATABASE reader_must_not"))
          .hasMessageContaining("readonly");

      CliCall status = cli(concat(new String[] {"local", "status"}, where));
      assertThat(status.code()).as(status.out() + status.err()).isZero();
      assertThat(status.out().split(", answering", -1)).hasSize(3);
      assertThat(pids(status.out())).isEqualTo(startedPids);

      CliCall again = cli(concat(new String[] {"local", "start"}, where));
      assertThat(again.code()).as(again.err()).isZero();
      assertThat(again.out()).doesNotContain("started now");
      assertThat(pids(again.out())).isEqualTo(startedPids);

      produceAndReadBack(kafka);

      CliCall stop = cli(concat(new String[] {"local", "stop"}, where));
      assertThat(stop.code()).as(stop.err()).isZero();
      assertThat(stop.out())
          .contains("Kafka (pid " + startedPids.get(1) + ") stopped")
          .contains("ClickHouse (pid " + startedPids.get(0) + ") stopped");
      for (String pid : startedPids) {
        assertThat(ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive))
            .as("pid " + pid)
            .isIn(java.util.Optional.empty(), java.util.Optional.of(false));
      }
      assertThat(dir.resolve("data/kafka/kraft-logs")).as("data kept").isDirectory();

      CliCall stopped = cli(concat(new String[] {"local", "status"}, where));
      assertThat(stopped.code()).isEqualTo(3);
      assertThat(stopped.out().split("not running", -1)).hasSize(3);

      Path one = Files.writeString(dir.resolve("one.jsonl"), serviceLine("t-9") + "\n");
      CliCall dead = cli("produce", "--input", one.toString(), "--kafka-bootstrap", kafka);
      assertThat(dead.code()).isEqualTo(1);
      assertThat(dead.err().lines().findFirst().orElse(""))
          .contains("no Kafka broker answers at " + kafka);
      assertThat(dead.err().lines().count()).isLessThanOrEqualTo(2);
    } finally {
      cli(concat(new String[] {"local", "stop"}, where));
    }
  }

  private void produceAndReadBack(String kafka) throws IOException {
    String service1 = serviceLine("t-1");
    String market =
        "{\"stream\":\"market-stall-counts\",\"event_id\":\"m1\",\"market_id\":\"m-1\","
            + "\"market_name\":\"乌兰浩特夜市\"}";
    String project = "{\"stream\":\"project-progress\",\"event_id\":\"p1\",\"project_id\":\"p-1\"}";
    String service2 = serviceLine("t-2");
    String content =
        service1
            + "\n{not json\n"
            + market
            + "\n\n"
            + "{\"stream\":\"service-transactions\",\"event_id\":\"e5\"}\n"
            + "{\"stream\":\"bogus\",\"x\":1}\n"
            + project
            + "\n"
            + service2
            + "\r\n";
    Path file = dir.resolve("events.jsonl");
    Files.write(file, content.getBytes(StandardCharsets.UTF_8));

    CliCall produced = cli("produce", "--input", file.toString(), "--kafka-bootstrap", kafka);
    assertThat(produced.code()).as(produced.err()).isZero();
    assertThat(produced.err())
        .contains(file + ":2: not JSON")
        .contains(file + ":5: service-transactions needs the key field \"transaction_id\"")
        .contains(file + ":6: unknown stream 'bogus'");
    assertThat(produced.err().lines().filter(l -> l.startsWith(file.toString()))).hasSize(3);
    assertThat(produced.out())
        .contains("Produced 4 records from 8 lines")
        .contains("3 lines not sent")
        .contains("1 blank line skipped");

    KafkaTestClient client = new KafkaTestClient(kafka);
    assertThat(keyed(client, "service-transactions"))
        .isEqualTo(Map.of("t-1", service1, "t-2", service2));
    assertThat(keyed(client, "market-stall-counts")).isEqualTo(Map.of("m-1", market));
    assertThat(keyed(client, "project-progress")).isEqualTo(Map.of("p-1", project));
  }

  private static Map<String, String> keyed(KafkaTestClient client, String topic) {
    Map<String, String> byKey = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : client.consumeAll(topic, Duration.ofSeconds(30))) {
      byKey.put(
          new String(r.key(), StandardCharsets.UTF_8),
          new String(r.value(), StandardCharsets.UTF_8));
    }
    return byKey;
  }

  private static String serviceLine(String id) {
    return "{\"stream\":\"service-transactions\",\"event_id\":\""
        + id
        + "-accepted\",\"transaction_id\":\""
        + id
        + "\",\"status\":\"accepted\"}";
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
