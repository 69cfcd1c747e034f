package cn.xingan.kpi.local.generate;

import cn.xingan.kpi.events.EventStream;
import cn.xingan.kpi.local.LocalProducer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Quickstart's generated traffic into Kafka: service transactions, market stall counts and the
 * major projects, each keyed as the contract says (the generators give the key). The generators are
 * pure functions of (seed, time), so producing [a, b) and later [b, c) with the same seed gives
 * exactly the events of [a, c): a resumed quickstart continues its traffic where it stopped.
 */
public final class TrafficProducer implements AutoCloseable {
  private final KafkaProducer<byte[], byte[]> kafka;
  private final ServiceTransactionGenerator services;
  private final MarketReportGenerator markets;
  private final ProjectGenerator projects;
  private final double rate;
  private final AtomicLong produced = new AtomicLong();

  /**
   * @param rate service transactions per hour
   * @param year the projects' year (their plans and history)
   */
  public TrafficProducer(String bootstrap, ZoneId zone, long seed, double rate, int year) {
    Properties client = new Properties();
    client.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    this.kafka = new KafkaProducer<>(LocalProducer.ordered(client));
    this.services = new ServiceTransactionGenerator(seed, zone);
    this.markets = new MarketReportGenerator(seed, zone);
    this.projects = new ProjectGenerator(seed, zone, year);
    this.rate = rate;
  }

  /** All three streams' events in [from, to), sent and flushed. */
  public void produce(Instant from, Instant to) {
    services.forEachBetween(from, to, rate, e -> send(EventStream.SERVICE_TRANSACTIONS, e));
    markets.forEachBetween(from, to, e -> send(EventStream.MARKET_STALL_COUNTS, e));
    projects.forEachBetween(from, to, e -> send(EventStream.PROJECT_PROGRESS, e));
    kafka.flush();
  }

  /** Project events only in [from, to) (the year so far before the history), sent and flushed. */
  public void produceProjects(Instant from, Instant to) {
    projects.forEachBetween(from, to, e -> send(EventStream.PROJECT_PROGRESS, e));
    kafka.flush();
  }

  /** Events sent so far. */
  public long produced() {
    return produced.get();
  }

  private void send(EventStream stream, GeneratedEvent e) {
    kafka.send(
        new ProducerRecord<>(stream.topic(), e.key().getBytes(StandardCharsets.UTF_8), e.json()));
    produced.incrementAndGet();
  }

  @Override
  public void close() {
    kafka.close(Duration.ofSeconds(10));
  }
}
