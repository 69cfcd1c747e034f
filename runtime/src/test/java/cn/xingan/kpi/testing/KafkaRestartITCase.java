// Issue 5: the Kafka broker restarts in the middle of a run (same port, same data). The sources
// reconnect and go on from their positions — or, if a task fails meanwhile, the job restarts from
// its last checkpoint with the job's own restart strategy — and the final rows are the oracle's.
package cn.xingan.kpi.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import cn.xingan.kpi.config.KpiOptions;
import cn.xingan.kpi.local.EmbeddedKafka;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class KafkaRestartITCase {
  @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();
  @RegisterExtension static final ClickHouseExtension CLICKHOUSE = new ClickHouseExtension();
  @RegisterExtension static final MiniClusterExtension FLINK = FaultHarness.miniCluster();

  @Test
  void aBrokerRestartMidRunLosesAndDoublesNothing() throws Exception {
    assumeTrue(KAFKA.isEmbedded(), "needs the embedded broker (not KAFKA_BOOTSTRAP) to restart it");
    long t0 = System.nanoTime();
    FaultHarness h = new FaultHarness(KAFKA, CLICKHOUSE, List.of(ServiceScenario.standard()));
    h.produceScenarios();
    KpiOptions options = h.options("--checkpoint-interval", "500ms");
    // ~490 records per subtask at 10 ms each: about 5 s of input.
    InputStage.Throttle.reset();
    JobClient job =
        h.start(
            FaultHarness.streamingConfig(options),
            options,
            stream -> new InputStage.Throttle(10),
            "KafkaRestartITCase");
    awaitFirstRows(h, job);
    long before = InputStage.Throttle.passed();
    int total = h.scenarios().get(0).records().size();
    assertThat(before).as("records read before the fault").isLessThan(total);
    EmbeddedKafka broker = KAFKA.broker();
    long restarting = System.nanoTime();
    broker.restart();
    long restartMs = FaultHarness.ms(restarting);
    FaultHarness.await(job, Duration.ofMinutes(3));

    h.assertFinalRowsMatchOracles("after a Kafka restart");
    Map<String, Long> repeats = h.assertEveryFinalRowWrittenMatchesOracles("after a Kafka restart");
    assertThat(h.rowCount("rejected_events", "")).as("rejected_events").isZero();
    System.err.printf(
        "[KafkaRestartITCase] broker restart after %d of %d records, %d ms, job restarts %s, repeated final rows %s,"
            + " %d ms%n",
        before,
        total,
        restartMs,
        JobMetrics.gauge(job.getJobID(), "numRestarts"),
        repeats,
        FaultHarness.ms(t0));
  }

  /** Returns once the running job has written rows (so the restart hits it mid-run). */
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
}
