package cn.xingan.kpi.job;

import cn.xingan.kpi.events.Envelope;
import cn.xingan.kpi.events.EventStream;
import java.util.Map;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Where the jobs' decoded records come from: Kafka topics in streaming runs, JSON Lines files in
 * backfill, collections in tests. Each input carries one stream (its map key), or several mixed
 * (key {@code null}, e.g. backfill files, where each line names its stream). Inputs keep their own
 * watermarks: a quiet stream never holds back another.
 */
public interface KpiSources {
  Map<EventStream, DataStream<Envelope>> open(StreamExecutionEnvironment env);
}
