package cn.xingan.kpi.job;

import cn.xingan.kpi.metrics.KpiMetrics;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.util.function.SerializableFunction;

/**
 * Drops repeats of an {@code event_id} in a BATCH run (a backfill), counted in the metric {@code
 * duplicates} as {@link DropDuplicates} counts them in a streaming run. A backfill's input is
 * complete and unordered, so a repeat may come anywhere in it and every id is remembered to the
 * end, as a 128-bit hash ({@link IdHashSet}). The input is not keyed: a {@code keyBy} in BATCH mode
 * sorts every event by its key on disk, which was half of a backfill's time; instead the events are
 * partitioned by the id's hash (at parallelism 1 not at all: the operator chains to the decoder,
 * and nothing is serialized).
 */
final class DropBatchDuplicates<E> extends AbstractStreamOperator<E>
    implements OneInputStreamOperator<E, E> {
  private static final long serialVersionUID = 1L;

  private final SerializableFunction<E, String> eventId;
  private final String stream;

  private transient IdHashSet seen;
  private transient Counter duplicates;

  /**
   * @param stream the stream's topic, the {@code stream} label of the {@code duplicates} metric
   */
  DropBatchDuplicates(SerializableFunction<E, String> eventId, String stream) {
    this.eventId = eventId;
    this.stream = stream;
  }

  @Override
  public void open() throws Exception {
    super.open();
    seen = new IdHashSet();
    duplicates = KpiMetrics.stream(getMetricGroup(), stream).counter(KpiMetrics.DUPLICATES);
  }

  @Override
  public void processElement(StreamRecord<E> element) {
    if (seen.add(eventId.apply(element.getValue()))) {
      output.collect(element);
    } else {
      duplicates.inc();
    }
  }

  @Override
  public void close() throws Exception {
    seen = null; // the ids go with the task
    super.close();
  }

  /** For tests: how many ids are held. */
  int held() {
    return seen.size();
  }
}
