package cn.xingan.kpi.cli;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;

/**
 * What a quickstart has put into Kafka so far: the generator seed and the instant its traffic
 * reaches, for the Kafka cluster (by id) that holds it. A second quickstart on the same cluster
 * continues from there with the same seed instead of producing another week of history with new
 * ids, which would count twice. Kept in {@code <data-dir>/quickstart-traffic.properties}.
 */
record QuickstartTraffic(long seed, Instant until, String kafkaClusterId, int year) {
  static final String FILE = "quickstart-traffic.properties";

  /** The traffic recorded in {@code dataDir}, when it was produced into this cluster and year. */
  static Optional<QuickstartTraffic> load(Path dataDir, String kafkaClusterId, int year) {
    Path file = dataDir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(in);
      QuickstartTraffic t =
          new QuickstartTraffic(
              Long.parseLong(p.getProperty("seed")),
              Instant.ofEpochMilli(Long.parseLong(p.getProperty("until-millis"))),
              p.getProperty("kafka-cluster-id", ""),
              Integer.parseInt(p.getProperty("year")));
      return t.kafkaClusterId().equals(kafkaClusterId) && t.year() == year
          ? Optional.of(t)
          : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  QuickstartTraffic until(Instant reached) {
    return new QuickstartTraffic(seed, reached, kafkaClusterId, year);
  }

  /** Written after the traffic up to {@link #until} was flushed to Kafka. */
  void save(Path dataDir) {
    Properties p = new Properties();
    p.setProperty("seed", Long.toString(seed));
    p.setProperty("until-millis", Long.toString(until.toEpochMilli()));
    p.setProperty("until", until.toString());
    p.setProperty("kafka-cluster-id", kafkaClusterId);
    p.setProperty("year", Integer.toString(year));
    Path file = dataDir.resolve(FILE);
    Path tmp = dataDir.resolve(FILE + ".tmp");
    try {
      try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        p.store(out, "bin/kpi quickstart: generated traffic in Kafka so far");
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
