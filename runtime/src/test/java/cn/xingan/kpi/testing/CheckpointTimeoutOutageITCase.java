// Issue 8: ClickHouse is away for twice the checkpoint timeout. The sink holds the checkpoint
// barrier while it retries, so checkpoints expire; with the engine settings of bin/kpi run that
// must backpressure the job, not restart it, and lose nothing.
package cn.xingan.kpi.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import cn.xingan.kpi.config.EngineOptions;
import cn.xingan.kpi.config.KpiOptions;
import cn.xingan.kpi.local.ClickHouseServer;
import cn.xingan.kpi.local.LocalMetrics;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A class of its own, so that its database holds only this run's rows (a second run of the same
 * scenarios in one database would hide rows this one lost behind the first one's).
 */
class CheckpointTimeoutOutageITCase {
  /** bin/kpi run's 10 min, scaled down. */
  private static final Duration CHECKPOINT_TIMEOUT = Duration.ofSeconds(3);

  @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();
  @RegisterExtension static final ClickHouseExtension CLICKHOUSE = new ClickHouseExtension();
  @RegisterExtension static final MiniClusterExtension FLINK = FaultHarness.miniCluster();

  /**
   * The engine settings of {@code bin/kpi run} (its tolerable checkpoint failures, restart strategy
   * and filesystem checkpoints in a state dir) with only the timeout scaled down; the outage is a
   * crash, as in {@link ClickHouseOutageITCase}.
   */
  @Test
  void anOutageOfTwiceTheCheckpointTimeoutRestartsNothing(@TempDir Path stateDir) throws Exception {
    ClickHouseServer server = CLICKHOUSE.localServer().orElse(null);
    assumeTrue(server != null, "needs the launched ClickHouse (not CLICKHOUSE_URL) to stop it");
    long t0 = System.nanoTime();
    FaultHarness h = new FaultHarness(KAFKA, CLICKHOUSE, FaultHarness.standardScenarios());
    h.produceScenarios();
    KpiOptions options = h.options().build();
    EngineOptions run = EngineOptions.defaults();
    EngineOptions engine =
        FaultHarness.engine()
            .withCheckpointTimeout(CHECKPOINT_TIMEOUT, run.tolerableCheckpointFailures())
            .withStateDir(stateDir);
    Configuration conf = FaultHarness.streamingConfig(engine);
    InputStage.Throttle.reset();
    JobClient job =
        h.start(conf, options, stream -> new InputStage.Throttle(12), "CheckpointTimeoutOutage");

    ClickHouseOutageITCase.awaitFirstRows(h, job);
    long before = InputStage.Throttle.passed();
    assertThat(before).as("records read before the fault").isLessThan(h.scenarioRecords());
    Duration outage = CHECKPOINT_TIMEOUT.multipliedBy(2).plusSeconds(2);
    long down = System.nanoTime();
    try {
      ClickHouseOutageITCase.crash(server);
      Thread.sleep(outage.toMillis());
      assertThat(job.getJobStatus().get())
          .as("job status after %d s without ClickHouse", outage.toSeconds())
          .isEqualTo(JobStatus.RUNNING);
    } finally {
      server.start();
    }
    long outageMs = FaultHarness.ms(down);
    FaultHarness.await(job, Duration.ofMinutes(3));

    long restarts = ((Number) LocalMetrics.gauge(job.getJobID(), "numRestarts")).longValue();
    long failedCheckpoints =
        ((Number) LocalMetrics.gauge(job.getJobID(), "numberOfFailedCheckpoints")).longValue();
    assertThat(failedCheckpoints)
        .as("checkpoints that failed (expired) during the outage: the fault really happened")
        .isPositive();
    assertThat(restarts).as("restarts of the job").isZero();
    h.assertFinalRowsMatchOracles("after an outage of twice the checkpoint timeout");
    h.assertEveryFinalRowWrittenMatchesOracles("after an outage of twice the checkpoint timeout");
    assertThat(h.rowCount("rejected_events", "")).as("rejected_events").isZero();
    System.err.printf(
        "[CheckpointTimeoutOutageITCase] checkpoint timeout %d s, outage %d ms after %d of %d records:"
            + " %d failed checkpoints, %d restarts, %d ms%n",
        CHECKPOINT_TIMEOUT.toSeconds(),
        outageMs,
        before,
        h.scenarioRecords(),
        failedCheckpoints,
        restarts,
        FaultHarness.ms(t0));
  }
}
