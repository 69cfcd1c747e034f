// A real single-node Kafka (KRaft, broker and controller in one process) for local runs and tests,
// because this machine has no Docker and the pipeline must be exercised against the real protocol.
package cn.xingan.kpi.local;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.properties.MetaPropertiesEnsemble;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Kafka 4.2 node in KRaft combined mode, listening on 127.0.0.1 only, storing everything under
 * a data directory so a restart (same port, same directory) finds its topics and records again.
 *
 * <p>Usage: {@code try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, 0)) { ... }}. As a process:
 * {@code java -cp ... cn.xingan.kpi.local.EmbeddedKafka --port 9092 --dir .kpi/kafka}, which prints
 * {@value #READY_PREFIX}{@code 127.0.0.1:PORT} when clients can connect and stops on SIGTERM.
 */
public final class EmbeddedKafka implements AutoCloseable {

  /** First word of the line printed by {@link #main} once the broker accepts clients. */
  public static final String READY_PREFIX = "KAFKA READY ";

  /** Line printed by {@link #main} after a clean shutdown. */
  public static final String STOPPED_LINE = "KAFKA STOPPED";

  /** File in the data directory that holds the bootstrap string while {@link #main} runs. */
  public static final String BOOTSTRAP_FILE = "bootstrap.txt";

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
  private static final String HOST = "127.0.0.1";
  private static final int NODE_ID = 1;
  private static final String BROKER_LISTENER = "PLAINTEXT";
  private static final String CONTROLLER_LISTENER = "CONTROLLER";

  private final Path dataDir;
  private final Path logDir;
  private final int port;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private KafkaRaftServer server;
  private DataDirLock lock;

  private EmbeddedKafka(Path dataDir, int port) {
    this.dataDir = dataDir;
    this.logDir = dataDir.resolve("kraft-logs");
    this.port = port;
  }

  /**
   * Formats {@code dataDir} on first use, starts the node and returns once clients can connect.
   *
   * @param port the client port on 127.0.0.1; 0 picks a free one, kept across {@link #restart()}
   */
  public static EmbeddedKafka start(Path dataDir, int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(
          "Kafka port must be 0 (pick a free one) or 1-65535, was " + port);
    }
    Path dir = dataDir.toAbsolutePath().normalize();
    EmbeddedKafka kafka = new EmbeddedKafka(dir, port == 0 ? freePort() : port);
    kafka.startServer();
    return kafka;
  }

  /** The {@code bootstrap.servers} value for clients: {@code 127.0.0.1:PORT}. */
  public String bootstrapServers() {
    return HOST + ":" + port;
  }

  public int port() {
    return port;
  }

  public Path dataDir() {
    return dataDir;
  }

  public synchronized boolean isRunning() {
    return server != null;
  }

  /**
   * Creates the topics that do not exist yet with {@code partitions} partitions and waits until
   * every partition has a leader; see {@link KafkaTopics#create}.
   */
  public void createTopics(int partitions, String... names) {
    KafkaTopics.create(bootstrapServers(), partitions, names);
  }

  /** Stops the node and then starts it again on the same port and data directory. */
  public synchronized void restart() {
    stop();
    startServer();
  }

  /** Shuts the node down cleanly (logs flushed, port released); a no-op when already stopped. */
  public synchronized void stop() {
    if (server == null) {
      return;
    }
    long began = System.nanoTime();
    try {
      server.shutdown();
      server.awaitShutdown();
    } finally {
      server = null;
      lock.close();
    }
    LOG.info("Kafka at {} stopped in {} ms", bootstrapServers(), millisSince(began));
  }

  @Override
  public void close() {
    stop();
    stopped.countDown();
  }

  private synchronized void startServer() {
    if (server != null) {
      throw new IllegalStateException("Kafka at " + bootstrapServers() + " is already running");
    }
    long began = System.nanoTime();
    requirePortFree(port, "Kafka client port");
    lock = DataDirLock.acquire(dataDir);
    KafkaRaftServer started = null;
    try {
      KafkaConfig config = new KafkaConfig(brokerConfig(freePort()), false);
      formatIfNew(config);
      started = new KafkaRaftServer(config, Time.SYSTEM);
      started.startup();
      server = started;
      awaitClients();
    } catch (RuntimeException e) {
      server = null;
      if (started != null) {
        try {
          started.shutdown();
          started.awaitShutdown();
        } catch (RuntimeException shutdownFailure) {
          e.addSuppressed(shutdownFailure);
        }
      }
      lock.close();
      throw new IllegalStateException(
          "Kafka did not start at " + bootstrapServers() + " with data in " + dataDir, e);
    }
    LOG.info(
        "Kafka ready at {} (data in {}) after {} ms",
        bootstrapServers(),
        dataDir,
        millisSince(began));
  }

  /**
   * Broker settings that work with one node: internal topics with one replica, no rebalance delay,
   * a small log cleaner buffer, and transaction timeouts long enough for Flink's exactly-once sink.
   */
  private Map<String, Object> brokerConfig(int controllerPort) {
    Map<String, Object> props = new HashMap<>();
    props.put("process.roles", "broker,controller");
    props.put("node.id", Integer.toString(NODE_ID));
    props.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
    props.put(
        "listeners",
        BROKER_LISTENER
            + "://"
            + HOST
            + ":"
            + port
            + ","
            + CONTROLLER_LISTENER
            + "://"
            + HOST
            + ":"
            + controllerPort);
    props.put("advertised.listeners", BROKER_LISTENER + "://" + HOST + ":" + port);
    props.put(
        "listener.security.protocol.map",
        BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
    props.put("controller.listener.names", CONTROLLER_LISTENER);
    props.put("inter.broker.listener.name", BROKER_LISTENER);
    props.put("log.dirs", logDir.toString());
    props.put("metadata.log.dir", logDir.toString());
    props.put("auto.create.topics.enable", "true");
    props.put("num.partitions", "1");
    props.put("default.replication.factor", "1");
    props.put("min.insync.replicas", "1");
    props.put("offsets.topic.replication.factor", "1");
    props.put("offsets.topic.num.partitions", "5");
    props.put("transaction.state.log.replication.factor", "1");
    props.put("transaction.state.log.min.isr", "1");
    props.put("transaction.state.log.num.partitions", "5");
    props.put("transaction.max.timeout.ms", Long.toString(Duration.ofHours(1).toMillis()));
    props.put("share.coordinator.state.topic.replication.factor", "1");
    props.put("share.coordinator.state.topic.min.isr", "1");
    props.put("share.coordinator.state.topic.num.partitions", "1");
    props.put("group.initial.rebalance.delay.ms", "0");
    props.put("log.cleaner.dedupe.buffer.size", Integer.toString(2 * 1024 * 1024));
    props.put("num.network.threads", "2");
    props.put("num.io.threads", "4");
    return props;
  }

  /** Writes meta.properties and the bootstrap metadata once, as {@code kafka-storage format}. */
  private void formatIfNew(KafkaConfig config) {
    if (Files.exists(logDir.resolve(MetaPropertiesEnsemble.META_PROPERTIES_NAME))) {
      return;
    }
    try {
      Files.createDirectories(logDir);
      new Formatter()
          .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
          .setNodeId(config.nodeId())
          .setClusterId(Uuid.randomUuid().toString())
          .setControllerListenerName(CONTROLLER_LISTENER)
          .setMetadataLogDirectory(config.metadataLogDir())
          .addDirectory(logDir.toString())
          .run();
    } catch (Exception e) {
      throw new IllegalStateException("Could not format Kafka storage in " + logDir, e);
    }
  }

  /**
   * Waits until the node answers metadata requests and every partition it already holds (after a
   * restart) has a leader again, so the first produce or fetch does not have to retry.
   */
  private void awaitClients() {
    try (Admin admin = KafkaTopics.admin(bootstrapServers())) {
      int nodes =
          admin
              .describeCluster()
              .nodes()
              .get(KafkaTopics.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
              .size();
      if (nodes != 1) {
        throw new IllegalStateException(
            "Kafka at " + bootstrapServers() + " reports " + nodes + " brokers, expected 1");
      }
      Collection<String> existing =
          admin
              .listTopics(new ListTopicsOptions().listInternal(true))
              .names()
              .get(KafkaTopics.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (!existing.isEmpty()) {
        KafkaTopics.awaitLeaders(admin, existing);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for Kafka", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "Kafka at " + bootstrapServers() + " did not answer within " + KafkaTopics.TIMEOUT, e);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("No free port on " + HOST, e);
    }
  }

  private static void requirePortFree(int port, String what) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), port));
    } catch (IOException e) {
      throw new IllegalStateException(
          what
              + " "
              + HOST
              + ":"
              + port
              + " is already in use; stop what holds it or choose another port (0 = any free)",
          e);
    }
  }

  private static long millisSince(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
  }

  /**
   * Runs the broker as a background process for {@code bin/kpi}: {@code --port N --dir PATH
   * [--topics a,b,c --partitions N]}. Prints {@code KAFKA READY 127.0.0.1:PORT} and writes the same
   * address to {@code PATH/bootstrap.txt} when ready; on SIGTERM stops cleanly, deletes that file
   * and prints {@code KAFKA STOPPED}.
   */
  public static void main(String[] args) throws InterruptedException {
    EmbeddedKafkaOptions options;
    try {
      options = EmbeddedKafkaOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(EmbeddedKafkaOptions.USAGE);
      System.exit(2);
      return;
    }
    Path bootstrapFile = options.dir().toAbsolutePath().resolve(BOOTSTRAP_FILE);
    EmbeddedKafka kafka = null;
    try {
      kafka = start(options.dir(), options.port());
      if (!options.topics().isEmpty()) {
        kafka.createTopics(options.partitions(), options.topics().toArray(new String[0]));
      }
      writeAtomically(bootstrapFile, kafka.bootstrapServers() + "\n");
    } catch (RuntimeException e) {
      LOG.error("Kafka failed to start", e);
      if (kafka != null) {
        kafka.close();
      }
      System.err.println("KAFKA FAILED " + e.getMessage());
      System.exit(1);
      return;
    }
    EmbeddedKafka running = kafka;
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    running.close();
                    Files.deleteIfExists(bootstrapFile);
                    System.out.println(STOPPED_LINE);
                    System.out.flush();
                  } catch (IOException | RuntimeException e) {
                    System.err.println("KAFKA STOP FAILED " + e);
                  }
                },
                "embedded-kafka-shutdown"));
    System.out.println(READY_PREFIX + kafka.bootstrapServers());
    System.out.flush();
    ProcessHandle.current()
        .info()
        .startInstant()
        .ifPresent(
            began ->
                LOG.info(
                    "Kafka process ready {} ms after JVM start",
                    Duration.between(began, Instant.now()).toMillis()));
    kafka.stopped.await();
  }

  private static void writeAtomically(Path file, String content) {
    try {
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, content, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write " + file, e);
    }
  }
}
