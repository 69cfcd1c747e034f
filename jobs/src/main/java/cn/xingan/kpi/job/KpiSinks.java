package cn.xingan.kpi.job;

import cn.xingan.kpi.events.Rejection;
import cn.xingan.kpi.market.MarketKpiRow;
import cn.xingan.kpi.service.ServiceKpiRow;
import org.apache.flink.streaming.api.datastream.DataStream;

/** Where the jobs' results go: ClickHouse (and Kafka) for real, a collection in tests. */
public interface KpiSinks {
  void serviceRows(DataStream<ServiceKpiRow> rows);

  void marketRows(DataStream<MarketKpiRow> rows);

  void rejections(DataStream<Rejection> rejections);
}
