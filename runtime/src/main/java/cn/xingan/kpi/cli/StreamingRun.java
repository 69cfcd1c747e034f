package cn.xingan.kpi.cli;

import cn.xingan.kpi.app.FlinkSettings;
import cn.xingan.kpi.app.Pipelines;
import cn.xingan.kpi.config.EngineOptions;
import cn.xingan.kpi.config.KpiOptions;
import cn.xingan.kpi.events.EventStream;
import cn.xingan.kpi.local.LocalMetrics;
import cn.xingan.kpi.metrics.KpiMetrics;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The streaming jobs on a local Flink as {@code bin/kpi run} and {@code quickstart} start them,
 * durably: state checkpointed under the state dir, a start resuming from the latest completed
 * checkpoint or savepoint there (or {@code --from-savepoint}), and a stop that takes a savepoint
 * first. A start that would silently lose state — the Kafka group has committed offsets but there
 * is no state to go with them, so the jobs would go on from those offsets with empty accumulators
 * and their rows would lose to the old ones — is refused unless {@code --reset-state}.
 */
final class StreamingRun {
  private static final DateTimeFormatter WATERMARK =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

  /** How long a stop may take before the job is cancelled (its latest checkpoint stays). */
  static final Duration STOP_TIMEOUT = Duration.ofSeconds(50);

  private final JobClient client;
  private final EngineOptions engine;
  private final ZoneId zone;
  private final PrintStream out;
  private volatile ProgressLine progress;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final CompletableFuture<Optional<String>> stopped = new CompletableFuture<>();

  private StreamingRun(JobClient client, EngineOptions engine, ZoneId zone, PrintStream out) {
    this.client = client;
    this.engine = engine;
    this.zone = zone;
    this.out = out;
  }

  /**
   * Starts the jobs, resuming what the state dir (or {@code fromSavepoint}) holds.
   *
   * @throws StateMissingException when the group has offsets but there is no state and no reset
   */
  static StreamingRun start(
      KpiOptions job,
      EngineOptions engine,
      Path fromSavepoint,
      boolean resetState,
      int flinkUiPort,
      boolean flinkUiPortGiven,
      String name,
      PrintStream out)
      throws Exception {
    Path restore = restorePoint(job, engine, fromSavepoint, resetState, out);
    Configuration conf =
        LocalMetrics.addTo(
            FlinkSettings.streaming(MetricsEndpoint.prepare(engine), false, restore));
    String ui = FlinkUi.prepare(conf, flinkUiPort, flinkUiPortGiven);
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
    Pipelines.streaming(env, job);
    JobClient client = env.executeAsync(name);
    if (ui != null) {
      out.println("Flink web UI: " + ui);
    }
    out.println(
        "Streaming jobs running (job "
            + client.getJobID()
            + "); checkpoints every "
            + cn.xingan.kpi.config.Durations.format(engine.checkpointInterval())
            + " into "
            + engine.checkpointDir()
            + "; Ctrl-C or SIGTERM stops with a savepoint");
    return new StreamingRun(client, engine, job.zone(), out);
  }

  static Path restorePoint(
      KpiOptions job, EngineOptions engine, Path fromSavepoint, boolean resetState, PrintStream out)
      throws Exception {
    if (fromSavepoint != null) {
      Path p = fromSavepoint.toAbsolutePath();
      if (!Files.isRegularFile(p.resolve(StateDir.METADATA)) && !Files.isRegularFile(p)) {
        throw new IllegalArgumentException(
            "--from-savepoint "
                + fromSavepoint
                + ": no savepoint or checkpoint there (expected a folder with a _metadata file)");
      }
      out.println("Resuming from " + p);
      return p;
    }
    StateDir dir = new StateDir(engine.stateDir());
    Optional<StateDir.Snapshot> latest = dir.latest();
    if (latest.isPresent() && resetState) {
      out.println(
          "--reset-state: not resuming from "
              + latest.get().path()
              + " (left in place; the new run's checkpoints supersede it)");
    } else if (latest.isPresent()) {
      StateDir.Snapshot s = latest.get();
      dir.pruneCheckpointsBefore(s);
      out.println(
          "Resuming from the "
              + (s.savepoint() ? "savepoint " : "checkpoint ")
              + s.path()
              + " (completed "
              + s.completed()
              + ")");
      return s.path();
    }
    Map<TopicPartition, OffsetAndMetadata> committed = committedOffsets(job);
    if (!committed.isEmpty()) {
      if (!resetState) {
        throw new StateMissingException(
            "the Kafka group '"
                + job.kafkaGroupId()
                + "' has committed offsets on "
                + topics(committed)
                + " but there is no state in "
                + dir.root()
                + ": starting would lose the counts so far. Point --state-dir at the old state"
                + " (or --from-savepoint PATH), or pass --reset-state to delete the group's"
                + " offsets and recompute from the earliest records Kafka still holds (periods"
                + " whose events Kafka no longer holds keep their old rows)");
      }
      try (Admin admin = admin(job)) {
        admin
            .deleteConsumerGroupOffsets(job.kafkaGroupId(), committed.keySet())
            .all()
            .get(30, TimeUnit.SECONDS);
      }
      out.println(
          "--reset-state: deleted the committed offsets of group '"
              + job.kafkaGroupId()
              + "'; recomputing from the earliest records Kafka holds");
    } else {
      out.println("No state in " + dir.root() + " yet: starting from the beginning of the topics");
    }
    return null;
  }

  private static Map<TopicPartition, OffsetAndMetadata> committedOffsets(KpiOptions job)
      throws Exception {
    Set<String> topics =
        Pipelines.STREAMS.stream().map(EventStream::topic).collect(Collectors.toSet());
    try (Admin admin = admin(job)) {
      Map<TopicPartition, OffsetAndMetadata> all =
          admin
              .listConsumerGroupOffsets(job.kafkaGroupId())
              .partitionsToOffsetAndMetadata()
              .get(30, TimeUnit.SECONDS);
      return all.entrySet().stream()
          .filter(e -> e.getValue() != null && topics.contains(e.getKey().topic()))
          .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    } catch (TimeoutException | ExecutionException e) {
      if (e instanceof ExecutionException
          && !(e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException)) {
        throw e;
      }
      throw new IllegalStateException(
          "Kafka at "
              + job.kafkaBootstrap()
              + " does not answer (waited 30 s for the group's offsets); is the broker running"
              + " and --kafka-bootstrap right?",
          e);
    }
  }

  private static Admin admin(KpiOptions job) {
    Properties p = job.kafkaClientProperties();
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
    return Admin.create(p);
  }

  private static String topics(Map<TopicPartition, OffsetAndMetadata> offsets) {
    return offsets.keySet().stream()
        .map(TopicPartition::topic)
        .distinct()
        .sorted()
        .collect(Collectors.joining(", "));
  }

  JobClient client() {
    return client;
  }

  /**
   * Stops the jobs on SIGTERM and Ctrl-C (SIGINT) with a savepoint; a second signal cancels at once
   * (the latest checkpoint is retained). Flink's own CLI does the same with {@code flink stop}.
   */
  StreamingRun stopOnSignals() {
    for (String name : new String[] {"TERM", "INT"}) {
      sun.misc.Signal.handle(
          new sun.misc.Signal(name),
          signal -> {
            if (stopping.get()) {
              out.println("Second signal: cancelling (the latest checkpoint is kept)");
              client.cancel();
              return;
            }
            Thread t = new Thread(this::stop, "stop-with-savepoint");
            t.setDaemon(true);
            t.start();
          });
    }
    return this;
  }

  /**
   * Stops the jobs with a savepoint into {@code <state-dir>/savepoints}, which the next run resumes
   * from; cancels them when that fails or takes longer than {@link #STOP_TIMEOUT}. A second call (a
   * signal during a stop, the end of quickstart) waits for the first one.
   *
   * @return the savepoint, if one was taken
   */
  Optional<String> stop() {
    if (!stopping.compareAndSet(false, true)) {
      return stopped.join();
    }
    long started = System.nanoTime();
    ProgressLine line = progress;
    if (line != null) {
      line.done();
    }
    out.println("Stopping with a savepoint ...");
    Optional<String> result = Optional.empty();
    try {
      if (!client.getJobExecutionResult().isDone()) {
        String path =
            client
                .stopWithSavepoint(
                    false, engine.savepointDir().toUri().toString(), SavepointFormatType.CANONICAL)
                .get(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        out.printf(
            "Stopped with a savepoint in %.1f s: %s%n", (System.nanoTime() - started) / 1e9, path);
        result = Optional.of(path);
      }
    } catch (Exception e) {
      out.println(
          "The savepoint failed ("
              + Failures.describe(e)
              + "); cancelling: the next run resumes from the latest checkpoint");
      client.cancel();
    } finally {
      stopped.complete(result);
    }
    return result;
  }

  /** The jobs ended without being asked to (they failed for good): the failure, else empty. */
  Optional<Exception> failure() {
    CompletableFuture<?> result = client.getJobExecutionResult();
    if (stopping.get() || !result.isDone()) {
      return Optional.empty();
    }
    try {
      result.get();
      return Optional.of(new IllegalStateException("the streaming jobs ended by themselves"));
    } catch (ExecutionException e) {
      return Optional.of(e.getCause() instanceof Exception c ? c : e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /**
   * What the jobs have done so far, from their own metrics: {@code status: 605,167 events in
   * (project-progress 3,960, …), 12 rejected, 7 duplicates, 9,876 rows written; watermark
   * service-transactions 2026-11-28 07:59 …}.
   */
  String status() {
    JobCounts c = JobCounts.of(client.getJobID());
    StringBuilder b =
        new StringBuilder(
            String.format(
                "status: %,d events in (%s), %,d rejected, %,d duplicates, %,d rows written",
                c.events(),
                JobCounts.list(c.eventsByStream()),
                c.rejected(),
                c.duplicates(),
                c.rows()));
    Map<String, List<Object>> lags =
        LocalMetrics.liveGaugesBy(
            client.getJobID(), KpiMetrics.WATERMARK_LAG_MS, KpiMetrics.STREAM);
    List<String> marks = new ArrayList<>();
    long now = System.currentTimeMillis();
    lags.forEach(
        (stream, values) ->
            values.stream()
                .filter(v -> v instanceof Long l && l >= 0)
                .mapToLong(v -> (Long) v)
                .max() // the slowest subtask holds the stream's watermark back
                .ifPresent(
                    lag ->
                        marks.add(
                            stream
                                + " "
                                + WATERMARK.format(Instant.ofEpochMilli(now - lag).atZone(zone)))));
    if (!marks.isEmpty()) {
      b.append("; watermark ").append(String.join(", ", marks));
    }
    return b.toString();
  }

  /**
   * Waits for the jobs to end, showing {@link #status()} meanwhile: normally after a stop, with the
   * failure when they failed.
   */
  void awaitShowingStatus(ProgressLine line) throws Exception {
    this.progress = line;
    CompletableFuture<?> result = client.getJobExecutionResult();
    while (!result.isDone()) {
      try {
        result.get(line.intervalMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException stillRunning) {
        if (!stopping.get()) {
          line.show(status());
        }
      } catch (ExecutionException ended) {
        break; // await() below reports it
      }
    }
    line.done();
    await();
  }

  /** Waits for the jobs to end: normally after a stop, with the failure when they failed. */
  void await() throws Exception {
    try {
      client.getJobExecutionResult().get();
      if (stopping.get()) {
        stopped.join(); // the savepoint's line is out
      }
    } catch (ExecutionException e) {
      if (stopping.get()) {
        stopped.join();
        return; // cancelled after a failed savepoint: the message is out already
      }
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  /** A stop was asked for (a signal, or the end of quickstart). */
  boolean stopping() {
    return stopping.get();
  }

  /** A start that would lose the state that goes with the group's committed offsets. */
  static final class StateMissingException extends RuntimeException {
    StateMissingException(String message) {
      super(message);
    }
  }
}
