// `bin/kpi local` and `bin/kpi quickstart` both need a ClickHouse and a Kafka broker on this
// machine
// that keep their data between runs and outlive the command that started them. One class owns how
// they are found, started, reported and stopped, so the two commands cannot disagree about it.
package cn.xingan.kpi.local;

import cn.xingan.kpi.config.ClickHouseEndpoint;
import cn.xingan.kpi.config.KpiOptions;
import cn.xingan.kpi.events.EventStream;
import cn.xingan.kpi.sink.ClickHouseHttp;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local ClickHouse and Kafka broker of a data folder ({@code --data-dir}, default {@code
 * .kpi}): ClickHouse in {@code <data-dir>/clickhouse}, Kafka in {@code <data-dir>/kafka}, each a
 * background process found again by its pid file. A server that already answers at the configured
 * address is reused, not started; one started here listens on that address's port on 127.0.0.1.
 * Stopping keeps the data, so the next start finds the same database, topics and offsets.
 */
public final class LocalStack {
  /** The topics a started broker creates: the three input streams, alerts and rejections. */
  public static final List<String> TOPICS =
      List.of(
          EventStream.PROJECT_PROGRESS.topic(),
          EventStream.SERVICE_TRANSACTIONS.topic(),
          EventStream.MARKET_STALL_COUNTS.topic(),
          KpiOptions.TOPIC_ALERTS,
          KpiOptions.TOPIC_REJECTED);

  public static final int PARTITIONS = 2;
  static final String CLICKHOUSE_PID = "server.pid";
  static final String CLICKHOUSE_URL = "server.url";
  static final String KAFKA_PID = "broker.pid";
  static final String USERS_DATABASE = "kpi-users.database";

  private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);
  private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost");
  private static final Duration KAFKA_START = Duration.ofSeconds(120);
  private static final Duration STOP_GRACE = Duration.ofSeconds(30);

  /** How a service was found. */
  public enum How {
    /** started by this call */
    STARTED,
    /** started earlier from this data folder, still running */
    RUNNING,
    /** answers at the configured address, not started from this data folder */
    EXTERNAL,
    /** nothing runs */
    STOPPED
  }

  /**
   * One server of the stack.
   *
   * @param pid 0 when not ours or not running
   */
  public record Service(String name, String address, long pid, How how, boolean answering) {
    /** {@code Kafka 127.0.0.1:9092 pid 4242 answering (started earlier from .kpi)}. */
    public String describe() {
      String state =
          switch (how) {
            case STARTED -> "pid " + pid + ", answering (started now)";
            case RUNNING -> "pid " + pid + (answering ? ", answering" : ", NOT answering");
            case EXTERNAL -> "answering (not started by bin/kpi local; left alone)";
            case STOPPED -> "not running";
          };
      return String.format("%-11s %-24s %s", name, address, state);
    }
  }

  private final Path dataDir;
  private final String clickhouseUrl;
  private final String kafkaBootstrap;
  private final String database;

  private LocalStack(Path dataDir, String clickhouseUrl, String kafkaBootstrap, String database) {
    this.dataDir = dataDir.toAbsolutePath().normalize();
    this.clickhouseUrl = clickhouseUrl;
    this.kafkaBootstrap = kafkaBootstrap;
    this.database = database;
  }

  /**
   * The stack of {@code dataDir}, answering (or to be started) at these addresses; a ClickHouse it
   * starts has the least-privileged users ({@code sql/users.d/kpi-users.xml}) for {@code database}.
   */
  public static LocalStack in(
      Path dataDir, String clickhouseUrl, String kafkaBootstrap, String database) {
    URI url = clickhouseUri(clickhouseUrl);
    hostPort(kafkaBootstrap);
    KpiUsers.usersXml(database); // validates the name
    return new LocalStack(
        dataDir, url.toString().replaceAll("/+$", ""), kafkaBootstrap.trim(), database);
  }

  /**
   * The least-privileged users of the local ClickHouse, when it is ours (started from this data
   * folder) and was started with them for this stack's database; empty for a server of someone
   * else's or an older one without them.
   */
  public Optional<KpiUsers> users() {
    Path file = clickhouseDir().resolve(KpiUsers.FILE);
    Path db = clickhouseDir().resolve(USERS_DATABASE);
    Service ch = clickhouseStatus();
    if ((ch.how() != How.RUNNING && ch.how() != How.STARTED) || !Files.exists(file)) {
      return Optional.empty();
    }
    try {
      if (!Files.exists(db) || !Files.readString(db).trim().equals(database)) {
        return Optional.empty();
      }
      return Optional.of(KpiUsers.load(file));
    } catch (IOException | RuntimeException e) {
      LOG.warn("cannot read the KPI users' passwords in {}", file, e);
      return Optional.empty();
    }
  }

  /** The owner-only file holding one user's password (for --clickhouse-password-file). */
  public Path passwordFile(KpiUsers.Role role) {
    return clickhouseDir().resolve(role.user() + ".password");
  }

  public Path dataDir() {
    return dataDir;
  }

  public Path clickhouseDir() {
    return dataDir.resolve("clickhouse");
  }

  public Path kafkaDir() {
    return dataDir.resolve("kafka");
  }

  /** Starts what does not answer yet, and returns once both answer. */
  public List<Service> start() {
    return List.of(startClickHouse(), startKafka());
  }

  public List<Service> status() {
    return List.of(clickhouseStatus(), kafkaStatus());
  }

  /** Stops what was started from this data folder (SIGTERM, then a kill); the data stays. */
  public List<String> stop() {
    return List.of(stopKafka(), stopClickHouse());
  }

  /** ClickHouse: our running server, else one at the configured URL, else a new one there. */
  public Service startClickHouse() {
    Service now = clickhouseStatus();
    if (now.how() == How.RUNNING && now.answering()) {
      return now;
    } else if (now.how() == How.RUNNING) {
      throw new IllegalStateException(
          "the local ClickHouse (pid "
              + now.pid()
              + ") does not answer at "
              + now.address()
              + "; stop it with bin/kpi local stop --data-dir "
              + dataDir
              + " and start again (log: "
              + clickhouseDir().resolve("clickhouse-server.err.log")
              + ")");
    } else if (now.how() == How.EXTERNAL) {
      return now;
    }
    URI url = clickhouseUri(clickhouseUrl);
    requireLoopback(url.getHost(), "--clickhouse-url " + clickhouseUrl);
    int port = url.getPort() < 0 ? 8123 : url.getPort();
    requireFree(port, "ClickHouse", "--clickhouse-url http://127.0.0.1:PORT");
    ClickHouseServer.Builder builder =
        ClickHouseServer.builder()
            .folder(clickhouseDir())
            .httpPort(port)
            .ownSession()
            .kpiUsers(database);
    if (isFree(9000) && port != 9000) {
      builder.tcpPort(9000);
    }
    ClickHouseServer server;
    try {
      server = builder.launch();
    } catch (IllegalStateException | UncheckedIOException e) {
      LOG.warn("ClickHouse did not start", e);
      throw new IllegalStateException(
          "ClickHouse did not start at "
              + url
              + ": "
              + e.getMessage().lines().findFirst().orElse("")
              + " (log: "
              + clickhouseDir().resolve("clickhouse-server.err.log")
              + ")");
    }
    KpiUsers users = server.kpiUsers().orElseThrow();
    write(clickhouseDir().resolve(USERS_DATABASE), database + "\n");
    for (KpiUsers.Role role : KpiUsers.Role.values()) {
      writeOwnerOnly(passwordFile(role), users.password(role));
    }
    long pid = server.detach();
    BackgroundProcess.writePid(clickhouseDir().resolve(CLICKHOUSE_PID), pid);
    write(clickhouseDir().resolve(CLICKHOUSE_URL), server.url() + "\n");
    return new Service("ClickHouse", server.url(), pid, How.STARTED, true);
  }

  /** Kafka: our running broker, else one at the configured bootstrap, else a new one there. */
  public Service startKafka() {
    Service now = kafkaStatus();
    if (now.how() == How.RUNNING && !now.answering()) {
      // it may still be starting (another command started it a moment ago)
      now = awaitKafka(ProcessHandle.of(now.pid()).orElseThrow(), KAFKA_START, How.RUNNING);
    }
    if (now.how() != How.STOPPED) {
      return now;
    }
    String[] hp = hostPort(kafkaBootstrap);
    requireLoopback(hp[0], "--kafka-bootstrap " + kafkaBootstrap);
    int port = Integer.parseInt(hp[1]);
    requireFree(port, "Kafka", "--kafka-bootstrap 127.0.0.1:PORT");
    try {
      Files.createDirectories(kafkaDir());
      Files.deleteIfExists(kafkaDir().resolve(EmbeddedKafka.BOOTSTRAP_FILE));
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.add("-Xmx1g");
      command.add("-Dkpi.log.file=" + dataDir.resolve("kafka.log"));
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      command.add(EmbeddedKafka.class.getName());
      command.addAll(List.of("--port", String.valueOf(port), "--dir", kafkaDir().toString()));
      command.addAll(List.of("--topics", String.join(",", TOPICS)));
      command.addAll(List.of("--partitions", String.valueOf(PARTITIONS)));
      Process process =
          new ProcessBuilder(BackgroundProcess.ownSession(command))
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .redirectOutput(ProcessBuilder.Redirect.appendTo(kafkaOut().toFile()))
              .redirectError(ProcessBuilder.Redirect.appendTo(kafkaErr().toFile()))
              .start();
      BackgroundProcess.writePid(kafkaDir().resolve(KAFKA_PID), process.pid());
      return awaitKafka(process.toHandle(), KAFKA_START, How.STARTED);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start the Kafka broker in " + kafkaDir(), e);
    }
  }

  /** Stops our Kafka broker, if one runs, and says what happened. */
  public String stopKafka() {
    Path pidFile = kafkaDir().resolve(KAFKA_PID);
    Optional<ProcessHandle> ours = BackgroundProcess.alive(pidFile, EmbeddedKafka.class.getName());
    String result;
    if (ours.isPresent()) {
      boolean killed = BackgroundProcess.stop(ours.get(), STOP_GRACE);
      result =
          "Kafka (pid "
              + ours.get().pid()
              + ") "
              + (killed ? "killed after " + STOP_GRACE.toSeconds() + " s" : "stopped")
              + "; its data stays in "
              + kafkaDir();
    } else {
      result = notOurs("Kafka", kafkaStatus(), kafkaDir());
    }
    delete(pidFile);
    delete(kafkaDir().resolve(EmbeddedKafka.BOOTSTRAP_FILE));
    return result;
  }

  /** Stops our ClickHouse, if one runs, and says what happened. */
  public String stopClickHouse() {
    Path pidFile = clickhouseDir().resolve(CLICKHOUSE_PID);
    Optional<ProcessHandle> ours = BackgroundProcess.alive(pidFile, "clickhouse");
    String result;
    if (ours.isPresent()) {
      boolean killed = BackgroundProcess.stop(ours.get(), STOP_GRACE);
      result =
          "ClickHouse (pid "
              + ours.get().pid()
              + ") "
              + (killed ? "killed after " + STOP_GRACE.toSeconds() + " s" : "stopped")
              + "; its data stays in "
              + clickhouseDir();
    } else {
      result = notOurs("ClickHouse", clickhouseStatus(), clickhouseDir());
    }
    delete(pidFile);
    delete(clickhouseDir().resolve(CLICKHOUSE_URL));
    return result;
  }

  /**
   * Deletes the Kafka and ClickHouse data of this folder and the given other folders (a job's
   * state), after checking nothing of ours runs; returns what existed and is gone.
   */
  public List<Path> deleteData(Path... more) {
    for (Service s : status()) {
      if (s.how() == How.RUNNING) {
        throw new IllegalStateException(
            s.name() + " (pid " + s.pid() + ") still runs on " + dataDir + "; stop it first");
      }
    }
    List<Path> deleted = new ArrayList<>();
    List<Path> targets = new ArrayList<>(List.of(kafkaDir(), clickhouseDir()));
    targets.addAll(List.of(more));
    for (Path p : targets) {
      if (Files.exists(p)) {
        deleteRecursively(p);
        deleted.add(p);
      }
    }
    return deleted;
  }

  private Service clickhouseStatus() {
    Optional<ProcessHandle> ours =
        BackgroundProcess.alive(clickhouseDir().resolve(CLICKHOUSE_PID), "clickhouse");
    Optional<String> oursUrl = read(clickhouseDir().resolve(CLICKHOUSE_URL));
    if (ours.isPresent() && oursUrl.isPresent()) {
      return new Service(
          "ClickHouse",
          oursUrl.get(),
          ours.get().pid(),
          How.RUNNING,
          clickhouseAnswers(oursUrl.get()));
    }
    boolean answering = clickhouseAnswers(clickhouseUrl);
    return new Service(
        "ClickHouse", clickhouseUrl, 0, answering ? How.EXTERNAL : How.STOPPED, answering);
  }

  private Service kafkaStatus() {
    Optional<ProcessHandle> ours =
        BackgroundProcess.alive(kafkaDir().resolve(KAFKA_PID), EmbeddedKafka.class.getName());
    if (ours.isPresent()) {
      Optional<String> address = read(kafkaDir().resolve(EmbeddedKafka.BOOTSTRAP_FILE));
      boolean answering = address.isPresent() && KafkaProbe.clusterId(address.get()).isPresent();
      return new Service(
          "Kafka", address.orElse("(starting)"), ours.get().pid(), How.RUNNING, answering);
    }
    boolean answering = KafkaProbe.clusterId(kafkaBootstrap).isPresent();
    return new Service(
        "Kafka", kafkaBootstrap, 0, answering ? How.EXTERNAL : How.STOPPED, answering);
  }

  /** Waits until the broker wrote its address and answers there, or fails naming why. */
  private Service awaitKafka(ProcessHandle process, Duration timeout, How how) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Path bootstrapFile = kafkaDir().resolve(EmbeddedKafka.BOOTSTRAP_FILE);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        delete(kafkaDir().resolve(KAFKA_PID));
        throw new IllegalStateException(
            "the Kafka broker did not start: " + brokerFailure() + " (log: " + kafkaErr() + ")");
      }
      Optional<String> address = read(bootstrapFile);
      if (address.isPresent() && KafkaProbe.clusterId(address.get()).isPresent()) {
        return new Service("Kafka", address.get(), process.pid(), how, true);
      }
      sleep(200);
    }
    BackgroundProcess.stop(process, Duration.ofSeconds(10));
    delete(kafkaDir().resolve(KAFKA_PID));
    throw new IllegalStateException(
        "the Kafka broker in "
            + kafkaDir()
            + " did not answer within "
            + timeout.toSeconds()
            + " s and was stopped (log: "
            + dataDir.resolve("kafka.log")
            + ")");
  }

  /** The broker's own last word ({@code KAFKA FAILED ...}), or the last line it wrote. */
  private String brokerFailure() {
    try {
      List<String> lines =
          Files.exists(kafkaErr())
              ? Files.readAllLines(kafkaErr(), StandardCharsets.UTF_8)
              : List.of();
      for (int i = lines.size() - 1; i >= 0; i--) {
        if (lines.get(i).startsWith("KAFKA FAILED ")) {
          return lines.get(i).substring("KAFKA FAILED ".length());
        }
      }
      return lines.isEmpty() ? "it exited without a word" : lines.get(lines.size() - 1);
    } catch (IOException | UncheckedIOException e) {
      return "it exited";
    }
  }

  private Path kafkaOut() {
    return dataDir.resolve("kafka.out");
  }

  private Path kafkaErr() {
    return dataDir.resolve("kafka.err");
  }

  private static String notOurs(String name, Service now, Path dir) {
    return now.answering()
        ? name
            + " at "
            + now.address()
            + " was not started from "
            + dir.getParent()
            + " (no live pid file in "
            + dir
            + "); left running"
        : name + ": not running";
  }

  private static boolean clickhouseAnswers(String url) {
    return new ClickHouseHttp(new ClickHouseEndpoint(url, "default", "", "default")).ping();
  }

  private static URI clickhouseUri(String url) {
    try {
      URI u = URI.create(url.trim());
      if (("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null) {
        return u;
      }
    } catch (IllegalArgumentException e) {
      // the message below says what is expected
    }
    throw new IllegalArgumentException(
        "--clickhouse-url '"
            + url
            + "' is not an http:// URL with a host, e.g. http://127.0.0.1:8123");
  }

  /** {@code [host, port]} of a one-server bootstrap such as {@code 127.0.0.1:9092}. */
  private static String[] hostPort(String bootstrap) {
    String b = bootstrap.trim();
    int colon = b.lastIndexOf(':');
    if (colon > 0 && !b.contains(",")) {
      try {
        int port = Integer.parseInt(b.substring(colon + 1));
        if (port > 0 && port <= 65535) {
          return new String[] {b.substring(0, colon), String.valueOf(port)};
        }
      } catch (NumberFormatException e) {
        // the message below says what is expected
      }
    }
    if (b.contains(",")) {
      return new String[] {b, "0"};
    }
    throw new IllegalArgumentException(
        "--kafka-bootstrap '" + bootstrap + "' is not HOST:PORT, e.g. 127.0.0.1:9092");
  }

  private static void requireLoopback(String host, String what) {
    if (!LOOPBACK.contains(host)) {
      throw new IllegalStateException(
          "nothing answers at "
              + what
              + ", and a local server can only be started on 127.0.0.1; start that server, or"
              + " drop the option to use 127.0.0.1");
    }
  }

  private static void requireFree(int port, String what, String option) {
    if (!isFree(port)) {
      throw new IllegalStateException(
          "port "
              + port
              + " on 127.0.0.1 is taken by something that is not "
              + what
              + "; free it or choose another port with "
              + option);
    }
  }

  private static boolean isFree(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static Optional<String> read(Path file) {
    try {
      return Files.isRegularFile(file)
          ? Optional.of(Files.readString(file).trim()).filter(s -> !s.isEmpty())
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static void writeOwnerOnly(Path file, String text) {
    try {
      Files.deleteIfExists(file);
      Files.createFile(
          file,
          java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
              java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static void write(Path file, String content) {
    try {
      Files.writeString(file, content);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.warn("could not delete {}", file, e);
    }
  }

  private static void deleteRecursively(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete " + root, e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for Kafka", e);
    }
  }
}
