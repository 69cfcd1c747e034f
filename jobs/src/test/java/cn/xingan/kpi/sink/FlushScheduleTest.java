package cn.xingan.kpi.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A partial batch is written when its burst ends, within the batch interval, ≤ 1 write/s. */
class FlushScheduleTest {
  @Test
  void aBurstIsWrittenOnceRowsStopComingForTwoHundredMillis() {
    FlushSchedule s = new FlushSchedule(Duration.ofSeconds(2));
    s.rowAdded(10_000);
    s.rowAdded(10_030);
    s.rowAdded(10_090);
    assertThat(s.nextCheck()).isEqualTo(10_290);
    assertThat(s.due(10_289)).isFalse();
    assertThat(s.due(10_290)).isTrue();
  }

  @Test
  void aSteadyTrickleIsWrittenAtTheBatchIntervalAfterItsFirstRow() {
    FlushSchedule s = new FlushSchedule(Duration.ofSeconds(2));
    for (long t = 0; t < 1_900; t += 100) {
      s.rowAdded(t);
      assertThat(s.due(t)).isFalse();
    }
    s.rowAdded(1_900);
    assertThat(s.nextCheck()).isEqualTo(2_000);
    assertThat(s.due(2_000)).isTrue();
  }

  @Test
  void writesAreAtLeastASecondApart() {
    FlushSchedule s = new FlushSchedule(Duration.ofSeconds(2));
    s.rowAdded(0);
    s.written(200);
    s.rowAdded(300);
    assertThat(s.due(500)).as("quiet, but 300 ms after the last write").isFalse();
    assertThat(s.nextCheck()).isEqualTo(1_200);
    assertThat(s.due(1_200)).isTrue();
    s.written(1_200);
    assertThat(s.due(5_000)).as("nothing waiting").isFalse();
  }

  @Test
  void aShortBatchIntervalBoundsTheQuietWaitAndTheGap() {
    FlushSchedule s = new FlushSchedule(Duration.ofMillis(100));
    s.rowAdded(0);
    s.written(100);
    s.rowAdded(150);
    assertThat(s.nextCheck()).isEqualTo(250); // first row + 100, gap 100
  }
}
