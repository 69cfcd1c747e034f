// Issue 5, "nothing lost, nothing doubled": a task fails three times in the middle of the stream,
// each time after a checkpoint, and the job — with its own restart strategy — must still write
// exactly the oracle's final rows: replayed records must neither be lost nor counted twice.
package cn.xingan.kpi.testing;

import static org.assertj.core.api.Assertions.assertThat;

import cn.xingan.kpi.config.KpiOptions;
import cn.xingan.kpi.local.LocalMetrics;
import java.time.Duration;
import java.util.Map;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class TaskFailureITCase {
  private static final int FAILURES = 3;

  @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();
  @RegisterExtension static final ClickHouseExtension CLICKHOUSE = new ClickHouseExtension();
  @RegisterExtension static final MiniClusterExtension FLINK = FaultHarness.miniCluster();

  @Test
  void threeTaskFailuresMidStreamLoseAndDoubleNothing() throws Exception {
    long t0 = System.nanoTime();
    FaultHarness h = new FaultHarness(KAFKA, CLICKHOUSE, FaultHarness.standardScenarios());
    h.produceScenarios();
    KpiOptions options = h.options().build();
    InjectedFailure.reset();
    // About 490 records per subtask at 14 ms each (~7 s); each attempt fails on its 60th record
    // once a checkpoint completed in it, so every failure rewinds to a mid-stream checkpoint. (At
    // 8 ms a record, the first checkpoint of an attempt, which with RocksDB took up to ~2.6 s here,
    // sometimes came only after the third attempt had read its last record.)
    // The restart strategy is the job's own: exponential delay from 1 s.
    JobClient job =
        h.start(
            FaultHarness.streamingConfig(),
            options,
            stream -> new InjectedFailure(FAILURES, 60, 14),
            "TaskFailureITCase");
    FaultHarness.await(job, Duration.ofMinutes(2));

    assertThat(InjectedFailure.failures()).as("failures injected").isEqualTo(FAILURES);
    assertThat(((Number) LocalMetrics.gauge(job.getJobID(), "numRestarts")).longValue())
        .as("restarts of the job")
        .isEqualTo(FAILURES);
    h.assertFinalRowsMatchOracles("after " + FAILURES + " task failures");
    Map<String, Long> repeats =
        h.assertEveryFinalRowWrittenMatchesOracles("after " + FAILURES + " task failures");
    assertThat(h.rowCount("rejected_events", "")).as("rejected_events").isZero();
    System.err.printf(
        "[TaskFailureITCase] %d failures, final rows repeated by replays: %s, %d ms%n",
        InjectedFailure.failures(), repeats, FaultHarness.ms(t0));
  }
}
