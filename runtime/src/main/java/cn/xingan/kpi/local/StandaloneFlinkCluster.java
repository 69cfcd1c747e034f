package cn.xingan.kpi.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A Flink standalone session cluster on this machine, started the way Flink's {@code
 * bin/start-cluster.sh} does it (the binary distribution is not served here, so its lib/ classpath
 * comes from Maven Central): {@code BashJavaUtils} turns config.yaml's memory settings into JVM
 * options and dynamic properties, then one JVM runs {@code StandaloneSessionClusterEntrypoint} and
 * one JVM per TaskManager runs {@code TaskManagerRunner}. Jobs are submitted with {@code
 * CliFrontend}, what {@code bin/flink run} calls. Everything is on loopback and free ports, with
 * small memory, and lives in one folder (conf/, log/, tmp/).
 */
public final class StandaloneFlinkCluster implements AutoCloseable {
  private static final String LOOPBACK = "127.0.0.1";
  private static final String RESULT_PREFIX = "BASH_JAVA_UTILS_EXEC_RESULT:";
  private static final Pattern JOB_ID = Pattern.compile("JobID ([0-9a-f]{32})");
  private static final Duration UTILS_TIMEOUT = Duration.ofSeconds(60);

  /** What Flink on Java 17 needs opened (Flink's config.yaml sets the same in env.java.opts). */
  private static final List<String> JAVA_OPENS =
      List.of(
          "--add-opens=java.base/java.lang=ALL-UNNAMED",
          "--add-opens=java.base/java.util=ALL-UNNAMED",
          "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
          "--add-opens=java.base/java.io=ALL-UNNAMED",
          "--add-opens=java.base/java.net=ALL-UNNAMED",
          "--add-opens=java.base/java.nio=ALL-UNNAMED",
          "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
          "--add-opens=java.base/java.time=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
          "--add-opens=java.base/java.math=ALL-UNNAMED",
          "--add-opens=java.base/java.text=ALL-UNNAMED",
          "--add-opens=java.sql/java.sql=ALL-UNNAMED",
          "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
          "--add-exports=java.management/sun.management=ALL-UNNAMED");

  private final List<Path> classpath;
  private final Path folder;
  private final boolean deleteFolderOnClose;
  private final int taskManagers;
  private final Duration startupTimeout;
  private final int restPort;
  private final FlinkRestClient rest;
  private final List<Process> processes = new ArrayList<>();
  private final Thread shutdownHook = new Thread(this::stopProcesses, "flink-cluster-stop");

  private StandaloneFlinkCluster(Builder b) throws IOException {
    this.classpath = List.copyOf(b.classpath);
    this.deleteFolderOnClose = b.folder == null;
    this.folder =
        b.folder != null
            ? Files.createDirectories(b.folder.toAbsolutePath())
            : Files.createTempDirectory("kpi-flink-");
    this.taskManagers = b.taskManagers;
    this.startupTimeout = b.startupTimeout;
    this.restPort = freePort();
    this.rest = new FlinkRestClient(restUrl());
    Map<String, String> config = new LinkedHashMap<>();
    config.put("jobmanager.rpc.address", LOOPBACK);
    config.put("jobmanager.rpc.port", Integer.toString(freePort()));
    config.put("jobmanager.bind-host", LOOPBACK);
    config.put("jobmanager.memory.process.size", b.jobManagerMemory);
    config.put("taskmanager.bind-host", LOOPBACK);
    config.put("taskmanager.host", LOOPBACK);
    config.put("taskmanager.numberOfTaskSlots", Integer.toString(b.slotsPerTaskManager));
    config.put("taskmanager.memory.process.size", b.taskManagerMemory);
    // The jobs keep their state on the heap (hashmap backend): little managed memory needed.
    config.put("taskmanager.memory.managed.size", "64m");
    config.put("parallelism.default", Integer.toString(taskManagers * b.slotsPerTaskManager));
    config.put("rest.address", LOOPBACK);
    config.put("rest.bind-address", LOOPBACK);
    config.put("rest.port", Integer.toString(restPort));
    config.put("io.tmp.dirs", folder.resolve("tmp").toString());
    config.put("web.tmpdir", folder.resolve("tmp").toString());
    config.put("execution.checkpointing.dir", folder.resolve("checkpoints").toUri().toString());
    // TaskManagers start with the JobManager, as start-cluster.sh starts them; one that finds no
    // JobManager yet tries again after this delay (default 10 s).
    config.put("cluster.registration.error-delay", "1s");
    config.putAll(b.extraConfig);
    FlinkClusterFiles.write(folder, config);
  }

  public static Builder builder(List<Path> libClasspath) {
    return new Builder(libClasspath);
  }

  /** The REST endpoint, e.g. {@code http://127.0.0.1:41234} (also Flink's web UI). */
  public String restUrl() {
    return "http://" + LOOPBACK + ":" + restPort;
  }

  public FlinkRestClient rest() {
    return rest;
  }

  /** conf/ (config.yaml, log4j properties): what {@code FLINK_CONF_DIR} points at. */
  public Path confDir() {
    return FlinkClusterFiles.conf(folder);
  }

  /** log/: {@code jobmanager.log}, {@code taskmanager-N.log}, {@code client-N.log} and .out. */
  public Path logDir() {
    return FlinkClusterFiles.log(folder);
  }

  /**
   * Starts the JobManager and the TaskManagers and returns when every TaskManager has registered;
   * throws, with the ends of their logs, when one exits or they do not register in time.
   */
  public void start() {
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    CompletableFuture<List<String>> tm =
        CompletableFuture.supplyAsync(() -> resourceParams("GET_TM_RESOURCE_PARAMS"));
    List<String> jmParams = resourceParams("GET_JM_RESOURCE_PARAMS");
    List<String> tmParams = tm.join();
    List<String> jmArgs = new ArrayList<>(configDir());
    jmArgs.addAll(List.of("--executionMode", "cluster"));
    jmArgs.addAll(dynamicConfigs(jmParams));
    List<String> tmArgs = new ArrayList<>(configDir());
    tmArgs.addAll(dynamicConfigs(tmParams));
    processes.add(
        startJvm(
            "jobmanager",
            jvmParams(jmParams),
            "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
            jmArgs));
    List<String> tmJvm = new ArrayList<>(List.of("-XX:+UseG1GC"));
    tmJvm.addAll(jvmParams(tmParams));
    for (int i = 1; i <= taskManagers; i++) {
      processes.add(
          startJvm(
              "taskmanager-" + i,
              tmJvm,
              "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
              tmArgs));
    }
    awaitTaskManagers(taskManagers);
  }

  private void awaitTaskManagers(int count) {
    long deadline = System.nanoTime() + startupTimeout.toNanos();
    while (rest.taskManagers() < count) {
      for (Process p : processes) {
        if (!p.isAlive()) {
          throw new IllegalStateException(
              "a Flink process exited with " + p.exitValue() + " while starting" + logTails());
        }
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "Flink at "
                + restUrl()
                + (count == 0 ? " did not answer" : " did not have " + count + " TaskManagers")
                + " within "
                + startupTimeout.toSeconds()
                + " s"
                + logTails());
      }
      sleep(200);
    }
  }

  /**
   * Runs {@code flink run --detached jar args} against this cluster and returns the job id. The
   * environment is added to the client's (e.g. {@code CLICKHOUSE_PASSWORD}, which must not go on
   * the command line: Flink's client logs its program arguments).
   */
  public String submit(Path jar, List<String> args, Map<String, String> env, Duration timeout) {
    int n = 1;
    while (Files.exists(logDir().resolve("client-" + n + ".log"))) {
      n++;
    }
    String name = "client-" + n;
    List<String> cliArgs = new ArrayList<>(List.of("run", "--detached", jar.toString()));
    cliArgs.addAll(args);
    Process client =
        startJvm(
            name,
            List.of("-Xmx512m", "-Dlog4j.configurationFile=" + FlinkClusterFiles.cliLog4j(folder)),
            "org.apache.flink.client.cli.CliFrontend",
            cliArgs,
            env);
    String output;
    try {
      if (!client.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        client.destroyForcibly();
        throw new IllegalStateException(
            "flink run did not return within " + timeout.toSeconds() + " s" + tail(name));
      }
      output = Files.readString(logDir().resolve(name + ".out"), StandardCharsets.UTF_8);
    } catch (InterruptedException e) {
      client.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for flink run", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Matcher id = JOB_ID.matcher(output);
    if (client.exitValue() != 0 || !id.find()) {
      throw new IllegalStateException(
          "flink run exited with " + client.exitValue() + " without a job id" + tail(name));
    }
    return id.group(1);
  }

  /** Stops every process (SIGTERM, then SIGKILL after 10 s) and deletes a temporary folder. */
  @Override
  public void close() {
    stopProcesses();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException | IllegalArgumentException notThere) {
      // shutting down already, or never started
    }
    if (deleteFolderOnClose) {
      deleteRecursively(folder);
    }
  }

  private synchronized void stopProcesses() {
    for (Process p : processes) {
      p.destroy();
    }
    for (Process p : processes) {
      try {
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          p.waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    processes.clear();
  }

  /** What BashJavaUtils prints after its prefix: JVM parameters, then dynamic properties. */
  private List<String> resourceParams(String command) {
    String name = "bash-java-utils-" + command;
    Process p =
        startJvm(
            name,
            List.of("-Xmx128m"),
            "org.apache.flink.runtime.util.bash.BashJavaUtils",
            Stream.concat(Stream.of(command), configDir().stream()).toList());
    try {
      if (!p.waitFor(UTILS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(
            "BashJavaUtils " + command + " did not finish" + tail(name));
      }
      List<String> results = new ArrayList<>();
      for (String line : Files.readAllLines(logDir().resolve(name + ".out"))) {
        if (line.startsWith(RESULT_PREFIX)) {
          results.add(line.substring(RESULT_PREFIX.length()).strip());
        }
      }
      if (p.exitValue() != 0 || results.size() != 2) {
        throw new IllegalStateException(
            "BashJavaUtils "
                + command
                + " gave no JVM parameters and dynamic configs"
                + tail(name));
      }
      return results;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running BashJavaUtils", e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private List<String> configDir() {
    return List.of("--configDir", confDir().toString());
  }

  private static List<String> jvmParams(List<String> params) {
    return split(params.get(0));
  }

  private static List<String> dynamicConfigs(List<String> params) {
    return split(params.get(1));
  }

  private static List<String> split(String line) {
    List<String> parts = new ArrayList<>();
    for (String part : line.split("\\s+")) {
      if (!part.isEmpty()) {
        parts.add(part);
      }
    }
    return parts;
  }

  private Process startJvm(String name, List<String> jvm, String mainClass, List<String> args) {
    return startJvm(name, jvm, mainClass, args, Map.of());
  }

  /** A JVM on the lib classpath, logging to log/NAME.log, stdout and stderr to log/NAME.out. */
  private Process startJvm(
      String name, List<String> jvm, String mainClass, List<String> args, Map<String, String> env) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(JAVA_OPENS);
    command.addAll(jvm);
    command.add("-Dlog.file=" + logDir().resolve(name + ".log"));
    if (jvm.stream().noneMatch(o -> o.startsWith("-Dlog4j.configurationFile="))) {
      command.add("-Dlog4j.configurationFile=" + FlinkClusterFiles.log4j(folder));
    }
    command.add("-classpath");
    command.add(
        String.join(java.io.File.pathSeparator, classpath.stream().map(Path::toString).toList()));
    command.add(mainClass);
    command.addAll(args);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(folder.toFile())
            .redirectErrorStream(true)
            .redirectOutput(logDir().resolve(name + ".out").toFile());
    builder.environment().put("FLINK_CONF_DIR", confDir().toString());
    builder.environment().putAll(env);
    try {
      return builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + mainClass, e);
    }
  }

  private String logTails() {
    StringBuilder b = new StringBuilder();
    b.append(tail("jobmanager"));
    for (int i = 1; i <= taskManagers; i++) {
      b.append(tail("taskmanager-" + i));
    }
    return b.toString();
  }

  private String tail(String name) {
    StringBuilder b = new StringBuilder();
    for (String suffix : List.of(".out", ".log")) {
      Path file = logDir().resolve(name + suffix);
      b.append("\n--- last lines of ").append(file).append(" ---\n");
      b.append(ClickHouseFiles.tail(file, 20));
    }
    return b.toString();
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
      throw new IllegalStateException("interrupted while waiting for Flink", e);
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

  /** Options of a cluster; every one but the classpath has a default. */
  public static final class Builder {
    private final List<Path> classpath;
    private Path folder;
    private int taskManagers = 2;
    private int slotsPerTaskManager = 1;
    private String jobManagerMemory = "768m";
    private String taskManagerMemory = "1024m";
    private final Map<String, String> extraConfig = new LinkedHashMap<>();
    private Duration startupTimeout = Duration.ofSeconds(60);

    private Builder(List<Path> classpath) {
      if (classpath == null || classpath.isEmpty()) {
        throw new IllegalArgumentException(
            "the Flink lib classpath is empty; expected the jars of flink-lib/target/classpath.txt");
      }
      this.classpath = classpath;
    }

    /** The folder for conf/, log/ and tmp/, kept on close; default a new temporary folder. */
    public Builder folder(Path folder) {
      this.folder = folder;
      return this;
    }

    /** How many TaskManager JVMs; default 2. */
    public Builder taskManagers(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("task managers " + n + " must be at least 1");
      }
      this.taskManagers = n;
      return this;
    }

    /** Slots per TaskManager; default 1 (so a job of parallelism 2 uses both). */
    public Builder slotsPerTaskManager(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("slots per task manager " + n + " must be at least 1");
      }
      this.slotsPerTaskManager = n;
      return this;
    }

    /** {@code taskmanager.memory.process.size} of each TaskManager; default 1024m. */
    public Builder taskManagerMemory(String size) {
      this.taskManagerMemory = size;
      return this;
    }

    /** {@code jobmanager.memory.process.size}; default 768m. */
    public Builder jobManagerMemory(String size) {
      this.jobManagerMemory = size;
      return this;
    }

    /** Any other config.yaml entry, e.g. {@code state.backend.type: rocksdb}. */
    public Builder config(String key, String value) {
      this.extraConfig.put(key, value);
      return this;
    }

    /** How long to wait for every TaskManager to register; default 60 s. */
    public Builder startupTimeout(Duration timeout) {
      this.startupTimeout = timeout;
      return this;
    }

    /** Writes conf/ and starts the cluster; stops what started when it does not come up. */
    public StandaloneFlinkCluster start() {
      StandaloneFlinkCluster cluster;
      try {
        cluster = new StandaloneFlinkCluster(this);
      } catch (IOException e) {
        throw new UncheckedIOException("could not prepare a Flink cluster folder", e);
      }
      try {
        cluster.start();
      } catch (RuntimeException e) {
        cluster.stopProcesses(); // the folder stays, for the logs the message points to
        throw e;
      }
      return cluster;
    }
  }
}
