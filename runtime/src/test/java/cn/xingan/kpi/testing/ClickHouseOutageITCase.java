// Issue 5: ClickHouse goes away for 30 seconds in the middle of a run. The sink must hold the rows
// and retry until the server is back — backpressure, not a failure and not a dropped batch — and
// the final rows must be exactly the oracle's.
package cn.xingan.kpi.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import cn.xingan.kpi.config.KpiOptions;
import cn.xingan.kpi.local.ClickHouseServer;
import cn.xingan.kpi.local.LocalMetrics;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The outage is a crash (SIGKILL), not {@link ClickHouseServer#stop()}: on SIGTERM ClickHouse 18.16
 * closes its listening sockets but goes on serving the connections it has until their clients hang
 * up, and the sink's JDBC driver keeps its HTTP connection alive — a graceful stop here took as
 * long as the job ran, and the job finished meanwhile without ever meeting an outage.
 */
class ClickHouseOutageITCase {
  private static final Duration OUTAGE = Duration.ofSeconds(30);

  @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();
  @RegisterExtension static final ClickHouseExtension CLICKHOUSE = new ClickHouseExtension();
  @RegisterExtension static final MiniClusterExtension FLINK = FaultHarness.miniCluster();

  @Test
  void aThirtySecondOutageIsWaitedOutWithoutLosingRows() throws Exception {
    ClickHouseServer server = CLICKHOUSE.localServer().orElse(null);
    assumeTrue(server != null, "needs the launched ClickHouse (not CLICKHOUSE_URL) to stop it");
    long t0 = System.nanoTime();
    FaultHarness h = new FaultHarness(KAFKA, CLICKHOUSE, FaultHarness.standardScenarios());
    h.produceScenarios();
    KpiOptions options = h.options().build();
    Configuration conf = FaultHarness.streamingConfig();
    // Waiting out the outage is the sink's job: a restart would hide a sink that gave up.
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    // ~490 records per subtask at 12 ms each: about 6 s of input, most of it still to come when
    // the server goes away; then the sink blocks and backpressure holds the sources.
    InputStage.Throttle.reset();
    JobClient job =
        h.start(conf, options, stream -> new InputStage.Throttle(12), "ClickHouseOutageITCase");

    awaitFirstRows(h, job);
    long before = InputStage.Throttle.passed();
    int total = h.scenarioRecords();
    assertThat(before).as("records read before the fault").isLessThan(total);
    long down = System.nanoTime();
    try {
      crash(server);
      Thread.sleep(OUTAGE.toMillis());
      assertThat(job.getJobStatus().get())
          .as("job status after %d s without ClickHouse", OUTAGE.toSeconds())
          .isEqualTo(JobStatus.RUNNING);
    } finally {
      server.start();
    }
    long outageMs = FaultHarness.ms(down);
    FaultHarness.await(job, Duration.ofMinutes(3));

    long retries = LocalMetrics.counterSum(job.getJobID(), "clickhouseRetries");
    assertThat(retries).as("ClickHouse write retries (the sink met the outage)").isPositive();
    h.assertFinalRowsMatchOracles("after a ClickHouse outage");
    Map<String, Long> repeats = h.assertEveryFinalRowWrittenMatchesOracles("after an outage");
    assertThat(h.rowCount("rejected_events", "")).as("rejected_events").isZero();
    System.err.printf(
        "[ClickHouseOutageITCase] outage after %d of %d records: %d ms, %d write retries, repeated final rows %s, %d ms%n",
        before, total, outageMs, retries, repeats, FaultHarness.ms(t0));
  }

  /** Returns once the running job has written rows (so the outage hits it mid-run). */
  static void awaitFirstRows(FaultHarness h, JobClient job) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (h.rowCount("kpi_service", "") == 0) {
      assertThat(System.nanoTime()).as("first rows written within 60 s").isLessThan(deadline);
      assertThat(job.getJobStatus().get().isGloballyTerminalState())
          .as("job ended before writing a row")
          .isFalse();
      Thread.sleep(100);
    }
  }

  /** Kills the server at once, as a crash would; {@code start()} brings it back. */
  static void crash(ClickHouseServer server) {
    server.kill();
    assertThat(server.isRunning()).isFalse();
  }
}
