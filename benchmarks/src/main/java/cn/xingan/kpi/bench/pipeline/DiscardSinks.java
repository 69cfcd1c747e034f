package cn.xingan.kpi.bench.pipeline;

import cn.xingan.kpi.alerts.ProjectAlert;
import cn.xingan.kpi.events.Rejection;
import cn.xingan.kpi.job.KpiSinks;
import cn.xingan.kpi.market.MarketKpiRow;
import cn.xingan.kpi.project.ProjectKpiRow;
import cn.xingan.kpi.service.ServiceKpiRow;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/** Every result dropped: the pipeline's cost without ClickHouse's. */
final class DiscardSinks implements KpiSinks {
  @Override
  public void serviceRows(DataStream<ServiceKpiRow> rows) {
    rows.sinkTo(new DiscardingSink<>()).name("discard kpi_service").uid("discard-service");
  }

  @Override
  public void marketRows(DataStream<MarketKpiRow> rows) {
    rows.sinkTo(new DiscardingSink<>()).name("discard kpi_market").uid("discard-market");
  }

  @Override
  public void rejections(DataStream<Rejection> rejections) {
    rejections.sinkTo(new DiscardingSink<>()).name("discard rejections").uid("discard-rejected");
  }

  @Override
  public void projectRows(DataStream<ProjectKpiRow> rows) {
    rows.sinkTo(new DiscardingSink<>()).name("discard kpi_project").uid("discard-project");
  }

  @Override
  public void projectAlerts(DataStream<ProjectAlert> alerts) {
    alerts.sinkTo(new DiscardingSink<>()).name("discard alerts").uid("discard-alerts");
  }
}
