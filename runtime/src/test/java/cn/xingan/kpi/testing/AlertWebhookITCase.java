// Issue 9 item 5: alert delivery by webhook. The endpoint fails (HTTP 500, dropped connections)
// through a checkpoint and a task failure, and every alert step must still arrive: pending posts
// live in the sink's checkpointed state, not only in memory.
package cn.xingan.kpi.testing;

import static org.assertj.core.api.Assertions.assertThat;

import cn.xingan.kpi.alerts.ProjectAlert;
import cn.xingan.kpi.app.FlinkSettings;
import cn.xingan.kpi.config.EngineOptions;
import cn.xingan.kpi.config.KpiOptions;
import cn.xingan.kpi.events.EventStream;
import cn.xingan.kpi.events.Rejection;
import cn.xingan.kpi.job.KpiJob;
import cn.xingan.kpi.job.KpiSinks;
import cn.xingan.kpi.local.LocalMetrics;
import cn.xingan.kpi.market.MarketKpiRow;
import cn.xingan.kpi.project.ProjectKpiRow;
import cn.xingan.kpi.service.ServiceKpiRow;
import cn.xingan.kpi.sink.AlertWebhookSink;
import cn.xingan.kpi.source.KafkaSources;
import cn.xingan.kpi.testing.projects.ProjectOracle;
import cn.xingan.kpi.testing.projects.ProjectYear;
import cn.xingan.kpi.testing.projects.ProjectYear.Ev;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A year of 20 projects ({@link ProjectYear}) streamed from Kafka (slowed down, so checkpoints fall
 * in the middle) with every alert version POSTed to a local endpoint that answers 500 or drops the
 * connection until the job has failed once — after a checkpoint that already held alerts — and then
 * twice more. The endpoint must end up with every step of {@link ProjectOracle#alerts()} (computed
 * from the events without the job's code), at least once, the first arrival of each alert's
 * versions in version order, as {@code project-alerts} JSON.
 */
class AlertWebhookITCase {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration QUIET_AFTER_FAILURE = Duration.ofMillis(1500);
  private static final int FAILURES_AFTER_RESTART = 2;

  @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();
  @RegisterExtension static final MiniClusterExtension FLINK = FaultHarness.miniCluster();

  @Test
  void everyAlertStepReachesAFlakyEndpointAcrossARestore() throws Exception {
    List<Ev> events = ProjectYear.generate(20250101L);
    Set<String> expected = new LinkedHashSet<>();
    for (ProjectOracle.Step s : new ProjectOracle(events, ProjectYear.ZONE).alerts()) {
      expected.add(
          step(
              s.alertId(),
              s.version(),
              s.status(),
              s.severity(),
              s.openedAt() / 1000,
              s.resolvedAt() / 1000));
    }
    assertThat(expected).hasSizeGreaterThan(20);
    String topic = EventStream.PROJECT_PROGRESS.topic();
    KAFKA.createTopics(2, topic);
    String group = "webhook-itcase-" + UUID.randomUUID();
    KAFKA.client().startGroupAtTheEnd(group, topic);
    KAFKA.produceStrings(
        topic,
        events.stream()
            .map(e -> Map.entry(e.projectId(), ProjectYear.json(e, null)))
            .collect(Collectors.toList()));

    FailOnce.reset();
    try (Receiver receiver = Receiver.start()) {
      KpiOptions options =
          KpiOptions.builder().kafkaBootstrap(KAFKA.bootstrapServers()).kafkaGroupId(group).build();
      AlertWebhookSink.Settings webhook =
          AlertWebhookSink.Settings.of(receiver.url() + "/hook?token=s3cret")
              .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(1));
      StreamExecutionEnvironment env =
          StreamExecutionEnvironment.getExecutionEnvironment(
              FlinkSettings.streaming(
                  EngineOptions.defaults().withCheckpointInterval(Duration.ofMillis(300))));
      env.setParallelism(2);
      new KpiJob(
              new InputStage(
                  new KafkaSources(options, List.of(EventStream.PROJECT_PROGRESS), true),
                  stream -> new InputStage.Throttle(4)),
              new WebhookOnly(webhook, options),
              options,
              false)
          .build(env);
      JobClient job = env.executeAsync("alert webhook itcase");
      job.getJobExecutionResult().get(3, TimeUnit.MINUTES);

      assertThat(FailOnce.FAILED).as("a task failure after a checkpoint holding alerts").isTrue();
      assertThat(((Number) LocalMetrics.gauge(job.getJobID(), "numRestarts")).longValue())
          .isEqualTo(1);
      List<Received> got = receiver.received();
      assertThat(got.stream().map(Received::step).collect(Collectors.toSet()))
          .as("every alert step, nothing else")
          .isEqualTo(expected);
      assertVersionsFirstArriveInOrder(got);
      assertThat(got)
          .allSatisfy(
              r -> {
                assertThat(r.idempotencyKey()).isEqualTo(r.alertId() + "/" + r.version());
                assertThat(r.contentType()).isEqualTo("application/json; charset=utf-8");
                assertThat(r.openedAtText()).endsWith("+08:00");
              });
      // At least the failures after the restart; those before it depend on whether the sink got
      // to post before the injected failure (under load it may not), which the restored state
      // covers either way.
      assertThat(receiver.failuresServed()).isGreaterThanOrEqualTo(FAILURES_AFTER_RESTART);
      long failures = LocalMetrics.counterSum(job.getJobID(), "webhookFailures");
      assertThat(failures).isBetween((long) FAILURES_AFTER_RESTART, receiver.failuresServed());
      assertThat(LocalMetrics.counterSum(job.getJobID(), "webhookDelivered")).isEqualTo(got.size());
      assertThat(LocalMetrics.counterSum(job.getJobID(), "webhookDropped")).isZero();
      System.err.printf(
          "[AlertWebhookITCase] %d steps, %d posts delivered (%d repeats), %d failures served,"
              + " %d counted%n",
          expected.size(),
          got.size(),
          got.size() - expected.size(),
          receiver.failuresServed(),
          failures);
    }
  }

  private static void assertVersionsFirstArriveInOrder(List<Received> got) {
    Map<String, List<Long>> firstArrivals = new LinkedHashMap<>();
    Set<String> seen = new java.util.HashSet<>();
    for (Received r : got) {
      if (seen.add(r.alertId() + "/" + r.version())) {
        firstArrivals.computeIfAbsent(r.alertId(), k -> new ArrayList<>()).add(r.version());
      }
    }
    firstArrivals.forEach((alert, versions) -> assertThat(versions).as(alert).isSorted());
  }

  private static String step(
      String alertId, long version, String status, String severity, long opened, long resolved) {
    return alertId + " v" + version + " " + status + " " + severity + " " + opened + " " + resolved;
  }

  /** One POST the endpoint accepted. */
  private record Received(
      String alertId,
      long version,
      String step,
      String openedAtText,
      String idempotencyKey,
      String contentType) {}

  /**
   * The endpoint: fails every request (alternately HTTP 500 and a dropped connection) until the job
   * failed, for a while after that (so the failed attempt delivers nothing) and then {@value
   * #FAILURES_AFTER_RESTART} more times; then accepts.
   */
  private static final class Receiver implements AutoCloseable {
    private final HttpServer server;
    private final List<Received> received = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger failuresServed = new AtomicInteger();
    private final AtomicInteger failuresAfterRestart = new AtomicInteger();
    private final long giveUpFailingAt = System.currentTimeMillis() + 60_000;

    private Receiver(HttpServer server) {
      this.server = server;
    }

    static Receiver start() throws IOException {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      Receiver r = new Receiver(server);
      server.setExecutor(Executors.newFixedThreadPool(4));
      server.createContext("/hook", r::handle);
      server.start();
      return r;
    }

    String url() {
      return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<Received> received() {
      synchronized (received) {
        return new ArrayList<>(received);
      }
    }

    long failuresServed() {
      return failuresServed.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
      byte[] body = exchange.getRequestBody().readAllBytes();
      if (shouldFail()) {
        if (failuresServed.incrementAndGet() % 2 == 0) {
          exchange.close(); // no status line: the client sees the connection dropped
        } else {
          exchange.sendResponseHeaders(500, -1);
          exchange.close();
        }
        return;
      }
      JsonNode a = JSON.readTree(body);
      long opened = OffsetDateTime.parse(a.get("opened_at").asText()).toEpochSecond();
      long resolved =
          a.get("resolved_at").isNull()
              ? 0
              : OffsetDateTime.parse(a.get("resolved_at").asText()).toEpochSecond();
      assertThat(a.get("resolved_at").isNull()).isEqualTo(a.get("status").asText().equals("open"));
      received.add(
          new Received(
              a.get("alert_id").asText(),
              a.get("version").asLong(),
              step(
                  a.get("alert_id").asText(),
                  a.get("version").asLong(),
                  a.get("status").asText(),
                  a.get("severity").asText(),
                  opened,
                  resolved),
              a.get("opened_at").asText(),
              exchange.getRequestHeaders().getFirst("Idempotency-Key"),
              exchange.getRequestHeaders().getFirst("Content-Type")));
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    }

    private boolean shouldFail() {
      long now = System.currentTimeMillis();
      if (now > giveUpFailingAt) {
        return false; // the job never failed: the test's assertion says so
      }
      if (!FailOnce.FAILED.get() || now < FailOnce.failedAt + QUIET_AFTER_FAILURE.toMillis()) {
        return true;
      }
      return failuresAfterRestart.incrementAndGet() <= FAILURES_AFTER_RESTART;
    }

    @Override
    public void close() {
      server.stop(0);
      ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
  }

  /** The job's results go nowhere but the alerts, which go through {@link FailOnce} to the hook. */
  private record WebhookOnly(AlertWebhookSink.Settings webhook, KpiOptions options)
      implements KpiSinks {
    @Override
    public void serviceRows(DataStream<ServiceKpiRow> rows) {
      rows.sinkTo(new DiscardingSink<>()).name("discard service");
    }

    @Override
    public void marketRows(DataStream<MarketKpiRow> rows) {
      rows.sinkTo(new DiscardingSink<>()).name("discard market");
    }

    @Override
    public void rejections(DataStream<Rejection> rejections) {
      rejections.sinkTo(new DiscardingSink<>()).name("discard rejections");
    }

    @Override
    public void projectRows(DataStream<ProjectKpiRow> rows) {
      rows.sinkTo(new DiscardingSink<>()).name("discard project rows");
    }

    @Override
    public void projectAlerts(DataStream<ProjectAlert> alerts) {
      AlertWebhookSink.attach(
          alerts.map(new FailOnce()).name("fail once").uid("test-fail-once"),
          webhook,
          options.zone());
    }
  }

  /**
   * Throws once, on the first alert after a checkpoint completed that alerts had passed before its
   * barrier: those alerts were then pending in the sink (the endpoint fails until now), so after
   * the restore they can only come from the sink's state — the restored upstream will not emit them
   * again.
   */
  static final class FailOnce extends RichMapFunction<ProjectAlert, ProjectAlert>
      implements CheckpointedFunction, CheckpointListener {
    private static final long serialVersionUID = 1L;
    static final AtomicBoolean FAILED = new AtomicBoolean();
    static volatile long failedAt;

    private transient long seen;
    private transient Map<Long, Long> seenAtBarrier;
    private transient volatile boolean armed;

    static void reset() {
      FAILED.set(false);
      failedAt = 0;
    }

    @Override
    public void open(OpenContext context) {
      seen = 0;
      seenAtBarrier = new HashMap<>();
      armed = false;
    }

    @Override
    public ProjectAlert map(ProjectAlert alert) {
      seen++;
      if (armed && FAILED.compareAndSet(false, true)) {
        failedAt = System.currentTimeMillis();
        throw new IllegalStateException(
            "injected failure at alert " + alert.alertId() + " v" + alert.version());
      }
      return alert;
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) {
      seenAtBarrier.put(context.getCheckpointId(), seen);
    }

    @Override
    public void initializeState(FunctionInitializationContext context) {}

    @Override
    public void notifyCheckpointComplete(long checkpointId) {
      if (seenAtBarrier.getOrDefault(checkpointId, 0L) > 0) {
        armed = true;
      }
    }
  }
}
