package cn.xingan.kpi.cli;

import cn.xingan.kpi.config.CommandOptions;
import cn.xingan.kpi.config.OptionValues;
import cn.xingan.kpi.events.EventStream;
import cn.xingan.kpi.local.KafkaProbe;
import cn.xingan.kpi.local.LocalProducer;
import cn.xingan.kpi.source.FileSources;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;

/**
 * {@code bin/kpi produce --input PATH}: JSON Lines into Kafka, one record per line, in file order,
 * keyed as the contract says. A line that cannot be sent is reported by file and line number and
 * counted; it does not stop the others. A broker that does not answer does, at once.
 */
final class Produce {
  static final String HELP =
      """
      Usage: bin/kpi produce --input PATH [--kafka-bootstrap HOST:PORT] [options]

      Sends JSON Lines (PATH is a file, or a folder whose files are read in name order) to Kafka,
      one record per line, in file order. The line's "stream" field picks the topic
      (project-progress, service-transactions or market-stall-counts) and the record key is the
      stream's key field: project_id, transaction_id or market_id. The record value is the line's
      bytes unchanged, so the job validates the events exactly as a backfill of the same file
      would. Lines that are not JSON objects, name no known stream, lack the key field, or whose
      topic does not exist on the broker (bin/kpi local start creates them) are reported as
      FILE:LINE and counted; the rest is sent. Blank lines are skipped. Exits 1 at once when no
      broker answers at --kafka-bootstrap, 0 when every line was read (see the summary).
      """;

  /** Problems printed one by one; further ones are only counted. */
  static final int SHOWN_PROBLEMS = 100;

  private Produce() {}

  static int run(OptionValues values) throws Exception {
    CommandOptions.Produce o = CommandOptions.Produce.from(values);
    List<Path> files = FileSources.list(o.input());
    Properties client = new Properties();
    client.putAll(o.kafkaProperties());
    client.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, o.kafkaBootstrap());
    Set<String> topics =
        KafkaProbe.topics(client, KafkaProbe.TIMEOUT)
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "no Kafka broker answers at "
                            + o.kafkaBootstrap()
                            + " (waited "
                            + KafkaProbe.TIMEOUT.toSeconds()
                            + " s); start one with bin/kpi local start, or pass --kafka-bootstrap"
                            + " HOST:PORT"));
    Run run = new Run(files, topics, o.kafkaBootstrap());
    long began = System.nanoTime();
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(LocalProducer.failingFast(client))) {
      run.sendAll(producer);
    }
    System.out.print(run.summary((System.nanoTime() - began) / 1e9));
    return 0;
  }

  /** One produce: the counts, and the problems still to print. */
  private static final class Run {
    private final List<Path> files;
    private final Set<String> topics;
    private final String bootstrap;
    private final Map<EventStream, AtomicLong> sent = new EnumMap<>(EventStream.class);
    private final Map<JsonLineRecord.Reason, AtomicLong> problems =
        new EnumMap<>(JsonLineRecord.Reason.class);
    private final Queue<String> toPrint = new ConcurrentLinkedQueue<>();
    private final AtomicLong printed = new AtomicLong();
    private final ProgressLine progress = ProgressLine.stdout();
    private long lines;
    private long blank;
    private long began;
    private long lastShown;

    Run(List<Path> files, Set<String> topics, String bootstrap) {
      this.files = files;
      this.topics = topics;
      this.bootstrap = bootstrap;
      for (EventStream s : EventStream.values()) {
        sent.put(s, new AtomicLong());
      }
      for (JsonLineRecord.Reason r : JsonLineRecord.Reason.values()) {
        problems.put(r, new AtomicLong());
      }
    }

    void sendAll(KafkaProducer<byte[], byte[]> producer) throws java.io.IOException {
      began = System.nanoTime();
      lastShown = System.currentTimeMillis();
      for (int i = 0; i < files.size(); i++) {
        Path file = files.get(i);
        int index = i + 1;
        JsonLineRecord.forEachLine(
            file,
            (number, line) -> {
              lines++;
              send(producer, file + ":" + number, JsonLineRecord.parse(line));
              if (System.currentTimeMillis() - lastShown >= progress.intervalMillis()) {
                printProblems();
                progress.show(progressText(index));
                lastShown = System.currentTimeMillis();
              }
            });
      }
      producer.flush();
      printProblems();
      progress.done();
    }

    private void send(KafkaProducer<byte[], byte[]> producer, String where, JsonLineRecord r) {
      if (r instanceof JsonLineRecord.Blank) {
        blank++;
      } else if (r instanceof JsonLineRecord.Problem p) {
        problem(where, p.reason(), p.detail());
      } else if (r instanceof JsonLineRecord.Send s) {
        if (!topics.contains(s.stream().topic())) {
          problem(
              where,
              JsonLineRecord.Reason.NOT_SENT,
              "topic " + s.stream().topic() + " does not exist on " + bootstrap);
          return;
        }
        ProducerRecord<byte[], byte[]> record =
            new ProducerRecord<>(
                s.stream().topic(), s.key().getBytes(StandardCharsets.UTF_8), s.value());
        try {
          producer.send(
              record,
              (metadata, e) -> {
                if (e == null) {
                  sent.get(s.stream()).incrementAndGet();
                } else {
                  problem(where, JsonLineRecord.Reason.NOT_SENT, "not sent: " + e.getMessage());
                }
              });
        } catch (KafkaException e) {
          problem(where, JsonLineRecord.Reason.NOT_SENT, "not sent: " + e.getMessage());
        }
      }
    }

    private void problem(String where, JsonLineRecord.Reason reason, String detail) {
      problems.get(reason).incrementAndGet();
      if (printed.incrementAndGet() <= SHOWN_PROBLEMS) {
        toPrint.add(where + ": " + detail);
      }
    }

    private void printProblems() {
      if (toPrint.isEmpty()) {
        return;
      }
      progress.done();
      System.out.flush();
      String line;
      while ((line = toPrint.poll()) != null) {
        System.err.println(line);
      }
      System.err.flush();
    }

    private long sentTotal() {
      return sent.values().stream().mapToLong(AtomicLong::get).sum();
    }

    private long problemTotal() {
      return problems.values().stream().mapToLong(AtomicLong::get).sum();
    }

    private String progressText(int fileIndex) {
      double seconds = Math.max(1e-3, (System.nanoTime() - began) / 1e9);
      return String.format(
          "produce: file %d of %d, %,d lines read, %,d sent (%,.0f/s), %,d not sent",
          fileIndex, files.size(), lines, sentTotal(), sentTotal() / seconds, problemTotal());
    }

    String summary(double seconds) {
      StringBuilder b = new StringBuilder();
      b.append(
          String.format(
              "Produced %,d records from %,d lines of %d file%s to Kafka at %s in %.1f s: %s%n",
              sentTotal(),
              lines,
              files.size(),
              files.size() == 1 ? "" : "s",
              bootstrap,
              seconds,
              sent.entrySet().stream()
                  .map(e -> e.getKey().topic() + " " + e.getValue().get())
                  .collect(Collectors.joining(", "))));
      long bad = problemTotal();
      if (bad > 0) {
        b.append(
            String.format(
                "  %,d line%s not sent (%s)%s%n",
                bad,
                bad == 1 ? "" : "s",
                problems.entrySet().stream()
                    .filter(e -> e.getValue().get() > 0)
                    .map(e -> e.getValue().get() + " " + e.getKey().label)
                    .collect(Collectors.joining(", ")),
                bad > SHOWN_PROBLEMS
                    ? "; the first " + SHOWN_PROBLEMS + " are listed above"
                    : "; listed above"));
      }
      if (blank > 0) {
        b.append(String.format("  %,d blank line%s skipped%n", blank, blank == 1 ? "" : "s"));
      }
      return b.toString();
    }
  }
}
