package cn.xingan.kpi.local;

import cn.xingan.kpi.config.ClickHouseEndpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs an installed ClickHouse as a child process with its own small configuration, data folder and
 * free loopback ports, for {@code quickstart} and the tests: nothing is shared with a system
 * ClickHouse. It can be stopped and started again on the same folder and ports, so a test can take
 * ClickHouse away mid-run and bring it back with its data.
 *
 * <p>Works with the Debian 18.16 {@code clickhouse-server} binary and with the single {@code
 * clickhouse} binary of current releases ({@code clickhouse server ...}).
 *
 * <p>With {@link Builder#kpiUsers(String)} it also has the pipeline's least-privileged users of
 * {@code sql/users.d/kpi-users.xml} ({@link KpiUsers}); {@code default} stays the admin, without a
 * password but reachable from this machine only.
 */
public final class ClickHouseServer implements AutoCloseable {
  static final String NO_BINARY =
      "no ClickHouse binary found; install Debian's clickhouse-server"
          + " (apt-get install clickhouse-server) or pass --clickhouse-url";

  private static final String LOOPBACK = "127.0.0.1";
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  private final Path binary;
  private final Path folder;
  private final boolean deleteFolderOnClose;
  private final int httpPort;
  private final int tcpPort;
  private final Duration startupTimeout;
  private final String displayName;
  private final KpiUsers kpiUsers;
  private final boolean ownSession;
  private final HttpClient pingClient =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private Process process;
  private Thread shutdownHook;

  private ClickHouseServer(Builder builder) throws IOException {
    this.binary =
        builder.binary != null
            ? builder.binary
            : findBinary().orElseThrow(ClickHouseServer::noBinary);
    if (!Files.isExecutable(binary)) {
      throw new IllegalStateException(
          "ClickHouse binary '" + binary + "' is not an executable file; " + NO_BINARY);
    }
    this.deleteFolderOnClose = builder.folder == null;
    this.folder =
        builder.folder != null
            ? Files.createDirectories(builder.folder.toAbsolutePath())
            : Files.createTempDirectory("kpi-clickhouse-");
    this.httpPort = builder.httpPort > 0 ? builder.httpPort : freePort();
    int tcp = builder.tcpPort > 0 ? builder.tcpPort : freePort();
    while (tcp == httpPort) {
      tcp = freePort();
    }
    this.tcpPort = tcp;
    this.startupTimeout = builder.startupTimeout;
    this.ownSession = builder.ownSession;
    this.displayName = "kpi-local-" + UUID.randomUUID().toString().substring(0, 8);
    ClickHouseFiles.write(
        folder, LOOPBACK, httpPort, tcpPort, builder.timezone, displayName, builder.logLevel);
    for (Map.Entry<String, String> file : builder.configFiles.entrySet()) {
      ClickHouseFiles.writeMerged(folder, "config.d", file.getKey(), file.getValue());
    }
    for (Map.Entry<String, String> file : builder.usersFiles.entrySet()) {
      ClickHouseFiles.writeMerged(folder, "users.d", file.getKey(), file.getValue());
    }
    if (builder.kpiUsersDatabase != null) {
      this.kpiUsers = KpiUsers.loadOrCreate(folder.resolve(KpiUsers.FILE));
      ClickHouseFiles.writeMerged(
          folder, "users.d", "kpi-users.xml", KpiUsers.usersXml(builder.kpiUsersDatabase));
    } else {
      this.kpiUsers = null;
    }
  }

  /** Starts a server in a new temporary folder (deleted on close) on free ports. */
  public static ClickHouseServer launch() {
    return builder().launch();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Where a ClickHouse server binary is: {@code $CLICKHOUSE_BINARY} if set, else {@code
   * clickhouse-server} or the single {@code clickhouse} binary on the PATH, in /usr/sbin, /usr/bin
   * or /usr/local/bin.
   */
  public static Optional<Path> findBinary() {
    String override = System.getenv("CLICKHOUSE_BINARY");
    if (override != null && !override.isBlank()) {
      Path path = Path.of(override);
      return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
    }
    List<Path> dirs = new ArrayList<>();
    String pathVar = System.getenv("PATH");
    if (pathVar != null) {
      for (String dir : pathVar.split(java.io.File.pathSeparator)) {
        if (!dir.isEmpty()) {
          dirs.add(Path.of(dir));
        }
      }
    }
    dirs.addAll(List.of(Path.of("/usr/sbin"), Path.of("/usr/bin"), Path.of("/usr/local/bin")));
    for (String name : List.of("clickhouse-server", "clickhouse")) {
      for (Path dir : dirs) {
        Path candidate = dir.resolve(name);
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }

  private static IllegalStateException noBinary() {
    String override = System.getenv("CLICKHOUSE_BINARY");
    return new IllegalStateException(
        override == null || override.isBlank()
            ? NO_BINARY
            : "CLICKHOUSE_BINARY is '"
                + override
                + "', which is not an executable file; "
                + NO_BINARY);
  }

  /** The HTTP URL, e.g. {@code http://127.0.0.1:41234}. */
  public String url() {
    return "http://" + LOOPBACK + ":" + httpPort;
  }

  public int httpPort() {
    return httpPort;
  }

  public int tcpPort() {
    return tcpPort;
  }

  /** The folder holding config.xml, users.xml, the logs and data/. */
  public Path folder() {
    return folder;
  }

  /**
   * The server's main log (the child's own stdout and stderr go to {@code stdout.log} beside it).
   */
  public Path logFile() {
    return folder.resolve("clickhouse-server.log");
  }

  /** An endpoint for the user {@code default} (no password) and the given database. */
  public ClickHouseEndpoint endpoint(String database) {
    return new ClickHouseEndpoint(url(), "default", "", database);
  }

  /** The KPI users of this server, when it was built with {@link Builder#kpiUsers(String)}. */
  public Optional<KpiUsers> kpiUsers() {
    return Optional.ofNullable(kpiUsers);
  }

  /** An endpoint for one of the KPI users; throws when the server was built without them. */
  public ClickHouseEndpoint endpoint(String database, KpiUsers.Role role) {
    return kpiUsers()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "this ClickHouse was launched without the KPI users; use"
                        + " ClickHouseServer.builder().kpiUsers(database)"))
        .endpoint(url(), role, database);
  }

  public synchronized boolean isRunning() {
    return process != null && process.isAlive();
  }

  /**
   * Starts the server process (a no-op if it runs) and waits until {@code GET /ping} answers {@code
   * Ok.}. Throws, after stopping the process, when it exits or does not answer in time.
   */
  public synchronized void start() {
    if (isRunning()) {
      return;
    }
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    if (binary.getFileName().toString().equals("clickhouse")) {
      command.add("server");
    }
    command.add("--config-file=" + folder.resolve("config.xml"));
    ProcessBuilder builder =
        new ProcessBuilder(ownSession ? BackgroundProcess.ownSession(command) : command)
            .directory(folder.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .redirectErrorStream(true)
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(folder.resolve("stdout.log").toFile()));
    // Current releases may fork a watchdog parent; one process is easier to stop.
    builder.environment().put("CLICKHOUSE_WATCHDOG_ENABLE", "0");
    if (kpiUsers != null) {
      builder.environment().putAll(kpiUsers.serverEnvironment());
    }
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not run " + String.join(" ", command), e);
    }
    if (shutdownHook == null) {
      shutdownHook = new Thread(this::stop, "clickhouse-server-stop");
      Runtime.getRuntime().addShutdownHook(shutdownHook);
    }
    awaitPing(command);
  }

  private void awaitPing(List<String> command) {
    long deadline = System.nanoTime() + startupTimeout.toNanos();
    while (!answersAsOurs()) {
      if (!process.isAlive()) {
        String problem =
            "ClickHouse (" + String.join(" ", command) + ") exited with " + process.exitValue();
        process = null;
        throw new IllegalStateException(problem + failureDetails());
      }
      if (System.nanoTime() > deadline) {
        stop();
        throw new IllegalStateException(
            "ClickHouse did not answer "
                + url()
                + "/ping with 'Ok.' within "
                + startupTimeout.toSeconds()
                + " s"
                + failureDetails());
      }
      sleep(100);
    }
  }

  /**
   * Whether our server answers {@code GET /ping} with {@code Ok.} and a query with our display
   * name, which tells it from another server that may have taken the port meanwhile (18.16 sends
   * the display name on queries only, not on {@code /ping}).
   */
  private boolean answersAsOurs() {
    try {
      HttpResponse<String> ping = get("/ping");
      if (ping.statusCode() != 200 || !ping.body().strip().equals("Ok.")) {
        return false;
      }
      HttpResponse<String> query = get("/?query=SELECT%201");
      return query.statusCode() == 200
          && query
              .headers()
              .firstValue("X-ClickHouse-Server-Display-Name")
              .orElse("")
              .equals(displayName);
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for ClickHouse to start", e);
    }
  }

  private HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url() + pathAndQuery))
            .timeout(Duration.ofSeconds(2))
            .build();
    return pingClient.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** Stops the server process (SIGTERM, then a kill after 30 s); the folder and ports stay. */
  public synchronized void stop() {
    if (process == null) {
      return;
    }
    Process p = process;
    process = null;
    p.destroy();
    try {
      if (!p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Kills the server process at once (SIGKILL), as a crash would: unlike {@link #stop()}, which
   * lets ClickHouse finish serving open connections first, clients see the outage immediately. The
   * folder and ports stay, so {@link #start()} brings the same server back.
   */
  public synchronized void kill() {
    if (process == null) {
      return;
    }
    Process p = process;
    process = null;
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
    try {
      p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Leaves the running server to outlive this JVM (quickstart keeps it so the KPIs stay queryable):
   * forgets the process and its shutdown hook, and returns its pid for stopping later.
   */
  public synchronized long detach() {
    if (process == null) {
      throw new IllegalStateException("no ClickHouse process is running in " + folder);
    }
    if (deleteFolderOnClose) {
      throw new IllegalStateException(
          "a server in a temporary folder cannot outlive the JVM; give it a folder");
    }
    long pid = process.pid();
    process = null;
    removeShutdownHook();
    return pid;
  }

  /** Stops the server and deletes its folder if this launcher created it. */
  @Override
  public synchronized void close() {
    stop();
    removeShutdownHook();
    if (deleteFolderOnClose) {
      deleteRecursively(folder);
    }
  }

  private void removeShutdownHook() {
    if (shutdownHook != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running or about to run; nothing to remove.
      }
      shutdownHook = null;
    }
  }

  private String failureDetails() {
    StringBuilder details = new StringBuilder();
    for (String name : List.of("clickhouse-server.err.log", "stdout.log")) {
      Path log = folder.resolve(name);
      details
          .append("\n--- last lines of ")
          .append(log)
          .append(" ---\n")
          .append(ClickHouseFiles.tail(log, 20));
    }
    details.append("\n(full log: ").append(logFile()).append(")");
    return details.toString();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
      return socket.getLocalPort();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for ClickHouse to start", e);
    }
  }

  private static void deleteRecursively(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete " + root, e);
    }
  }

  /** Options of a launch; every one has a default. */
  public static final class Builder {
    private Path binary;
    private Path folder;
    private int httpPort;
    private int tcpPort;
    private String timezone;
    private String logLevel = "information";
    private boolean ownSession;
    private String kpiUsersDatabase;
    private final Map<String, String> configFiles = new LinkedHashMap<>();
    private final Map<String, String> usersFiles = new LinkedHashMap<>();
    private Duration startupTimeout = Duration.ofSeconds(60);

    private Builder() {}

    /** The server binary; default {@link #findBinary()}. */
    public Builder binary(Path binary) {
      this.binary = binary;
      return this;
    }

    /** The folder for config, logs and data, kept on close; default a new temporary folder. */
    public Builder folder(Path folder) {
      this.folder = folder;
      return this;
    }

    /** The HTTP port; default a free port. */
    public Builder httpPort(int port) {
      this.httpPort = checkPort(port);
      return this;
    }

    /** The native TCP port; default a free port. */
    public Builder tcpPort(int port) {
      this.tcpPort = checkPort(port);
      return this;
    }

    /** The server's zone for DateTime text, e.g. {@code Asia/Shanghai}; default the system's. */
    public Builder timezone(String timezone) {
      if (timezone != null && !timezone.matches("[A-Za-z0-9_+\\-/]+")) {
        throw new IllegalArgumentException(
            "time zone '" + timezone + "' is not an IANA zone name such as Asia/Shanghai");
      }
      this.timezone = timezone;
      return this;
    }

    /**
     * The server's log level: {@code information} (the default), {@code debug} or {@code trace}
     * (every request and query, for tests that check what reaches the log).
     */
    public Builder logLevel(String level) {
      if (!List.of("error", "warning", "information", "debug", "trace").contains(level)) {
        throw new IllegalArgumentException(
            "log level '" + level + "' is not one of error, warning, information, debug, trace");
      }
      this.logLevel = level;
      return this;
    }

    /**
     * Installs the KPI users ({@code sql/users.d/kpi-users.xml}) allowed into {@code database},
     * with passwords from the folder's {@value KpiUsers#FILE} (made on first use).
     */
    public Builder kpiUsers(String database) {
      KpiUsers.usersXml(database); // validates the name now rather than at launch
      this.kpiUsersDatabase = database;
      return this;
    }

    /**
     * Adds a file to the server's {@code config.d/} (merged into its config.xml), e.g. {@code
     * remote_servers} for a cluster or {@code macros}.
     */
    public Builder configFile(String name, String xml) {
      this.configFiles.put(name, xml);
      return this;
    }

    /**
     * Adds a file to the server's {@code users.d/} (merged into its users.xml after {@code
     * kpi-users.xml} when its name sorts later), e.g. other limits for a profile.
     */
    public Builder usersFile(String name, String xml) {
      this.usersFiles.put(name, xml);
      return this;
    }

    /** How long to wait for {@code /ping}; default 60 s. */
    /**
     * Runs the server in a session of its own (where {@code setsid} exists), for a server that is
     * to be {@link ClickHouseServer#detach() detached}: a Ctrl-C in the terminal then stops the
     * command that started it, not the server.
     */
    public Builder ownSession() {
      this.ownSession = true;
      return this;
    }

    public Builder startupTimeout(Duration timeout) {
      if (timeout == null || timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException(
            "startup timeout " + timeout + " must be a positive duration");
      }
      this.startupTimeout = timeout;
      return this;
    }

    /**
     * Writes the configuration and starts the server; throws if it does not come up, keeping the
     * folder so that its logs can be read.
     */
    public ClickHouseServer launch() {
      ClickHouseServer server;
      try {
        server = new ClickHouseServer(this);
      } catch (IOException e) {
        throw new UncheckedIOException("could not prepare a ClickHouse folder", e);
      }
      try {
        server.start();
      } catch (RuntimeException e) {
        synchronized (server) {
          server.stop();
          server.removeShutdownHook();
        }
        throw e;
      }
      return server;
    }

    private static int checkPort(int port) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port " + port + " must be between 1 and 65535");
      }
      return port;
    }
  }
}
