// Issue 5: an operator stops the job with a savepoint in the middle of the stream and starts it
// again from it (an upgrade, a move). On RocksDB state and with unbounded sources, as production
// runs it: the final rows are the oracle's, every record is read exactly once over the two runs,
// and no final row was ever written with other values (the version makes a repeated row harmless).
package cn.xingan.kpi.testing;

import static org.assertj.core.api.Assertions.assertThat;

import cn.xingan.kpi.config.KpiOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unbounded sources, not bounded ones: a bounded {@code KafkaSource} restored from a savepoint
 * never finishes (FLINK-31006: the restored enumerator never sends "no more splits"; connector
 * 5.0.0-2.2 still has it — this test hung on it). Here a valid event on each partition, after the
 * scenario's events and stamped at its {@link StreamScenario#sentinelTime()}, moves the watermark
 * past every period, and the test waits for the final rows and then cancels the job.
 */
class SavepointITCase {
  @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();
  @RegisterExtension static final ClickHouseExtension CLICKHOUSE = new ClickHouseExtension();
  @RegisterExtension static final MiniClusterExtension FLINK = FaultHarness.miniCluster();

  @Test
  void stopWithSavepointAndResumeOnRocksDbGivesTheOracleRows(@TempDir Path savepoints)
      throws Exception {
    long t0 = System.nanoTime();
    FaultHarness h = new FaultHarness(KAFKA, CLICKHOUSE, FaultHarness.standardScenarios());
    h.produceScenarios();
    h.produceWatermarkSentinels();
    int total = h.scenarioRecords() + FaultHarness.PARALLELISM * h.scenarios().size();
    KpiOptions options = h.options().build();
    Configuration conf =
        FaultHarness.streamingConfig(FaultHarness.engine().withStateBackend("rocksdb"));
    // Nothing should fail here; a failure should fail the test with its cause.
    conf.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
    InputStage.Throttle.reset();

    // ~490 records per subtask at 10 ms each: about 5 s of input.
    JobClient first =
        h.start(
            conf, options, stream -> new InputStage.Throttle(10), "SavepointITCase first", false);
    KafkaRestartITCase.awaitFirstRows(h, first);
    String savepoint =
        first
            .stopWithSavepoint(false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
            .get(2, TimeUnit.MINUTES);
    FaultHarness.await(first, Duration.ofMinutes(1));
    long readBySavepoint = InputStage.Throttle.passed();
    assertThat(readBySavepoint).as("records read before the savepoint").isLessThan(total);

    Configuration resumed = new Configuration(conf);
    resumed.set(StateRecoveryOptions.SAVEPOINT_PATH, savepoint);
    JobClient second =
        h.start(
            resumed,
            options,
            stream -> new InputStage.Throttle(0),
            "SavepointITCase second",
            false);
    h.awaitFinalRowCounts(second, Duration.ofMinutes(2));
    Thread.sleep(1_000); // anything more the sink might still write
    second.cancel().get(1, TimeUnit.MINUTES);

    assertThat(InputStage.Throttle.passed())
        .as("records read over both runs (%d before the savepoint)", readBySavepoint)
        .isEqualTo(total);
    // The sentinels' own rows stay rolling and are not compared.
    h.assertFinalRowsBeforeSentinelsMatchOracles("after stop-with-savepoint and resume");
    Map<String, Long> repeats =
        h.assertEveryFinalRowWrittenMatchesOracles("after stop-with-savepoint and resume");
    assertThat(h.rowCount("rejected_events", "")).as("rejected_events").isZero();
    System.err.printf(
        "[SavepointITCase] savepoint after %d of %d records at %s; repeated final rows %s;"
            + " %d ms%n",
        readBySavepoint, total, savepoint, repeats, FaultHarness.ms(t0));
  }
}
