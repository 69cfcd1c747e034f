package cn.xingan.kpi.job;

import cn.xingan.kpi.alerts.ProjectAlert;
import cn.xingan.kpi.events.Rejection;
import cn.xingan.kpi.market.MarketKpiRow;
import cn.xingan.kpi.project.ProjectKpiRow;
import cn.xingan.kpi.service.ServiceKpiRow;
import org.apache.flink.streaming.api.datastream.DataStream;

/** Where the jobs' results go: ClickHouse (and Kafka) for real, a collection in tests. */
public interface KpiSinks {
  void serviceRows(DataStream<ServiceKpiRow> rows);

  void marketRows(DataStream<MarketKpiRow> rows);

  void rejections(DataStream<Rejection> rejections);

  /** {@code kpi_project} rows; a sink that takes no project results ignores them. */
  default void projectRows(DataStream<ProjectKpiRow> rows) {}

  /** Alert versions for {@code project_alerts} and the topic {@code project-alerts}. */
  default void projectAlerts(DataStream<ProjectAlert> alerts) {}
}
