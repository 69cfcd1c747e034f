package cn.xingan.kpi.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** A backfill counts an event id once wherever its repeats sit in the input. */
class DropBatchDuplicatesTest {
  @Test
  void repeatsAnywhereInTheInputAreDroppedAndCounted() throws Exception {
    var operator = new DropBatchDuplicates<String>(e -> e.substring(0, e.indexOf('#')), "test");
    try (var h = new OneInputStreamOperatorTestHarness<>(operator)) {
      h.open();
      // "id#copy": the first copy of each id is kept, in input order
      for (String e : List.of("a#1", "b#1", "a#2", "c#1", "b#2", "a#3", "d#1", "c#2")) {
        h.processElement(new StreamRecord<>(e));
      }
      assertThat(h.extractOutputValues()).containsExactly("a#1", "b#1", "c#1", "d#1");
      assertThat(operator.held()).isEqualTo(4);
    }
  }
}
