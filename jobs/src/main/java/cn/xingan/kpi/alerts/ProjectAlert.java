package cn.xingan.kpi.alerts;

/**
 * One version of a lagging-project alert: a row of {@code project_alerts} and a message of the
 * Kafka topic {@code project-alerts}. An alert opens (version 1), may change severity, and
 * resolves; each step is a new version under the same deterministic {@code alertId} ({@code
 * <project_id>:<rule>:<local date it opened>}). Instants are epoch millis; {@code resolvedAt} is 0
 * while the alert is open, as in the table.
 */
public record ProjectAlert(
    String alertId,
    String projectId,
    String projectName,
    String county,
    String chain,
    String rule,
    String severity,
    String status,
    long openedAt,
    long resolvedAt,
    String detail,
    long version,
    long updatedAt) {

  public static final String WARNING = "warning";
  public static final String CRITICAL = "critical";
  public static final String OPEN = "open";
  public static final String RESOLVED = "resolved";

  public boolean isOpen() {
    return OPEN.equals(status);
  }
}
