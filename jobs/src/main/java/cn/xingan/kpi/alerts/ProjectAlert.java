package cn.xingan.kpi.alerts;

import cn.xingan.kpi.kpi.Columns;
import java.util.ArrayList;
import java.util.List;

/**
 * One version of a lagging-project alert: a row of {@code project_alerts} and a message of the
 * Kafka topic {@code project-alerts}. An alert opens (version 1), may change severity, and
 * resolves; each step is a new version under the same deterministic {@code alertId} ({@code
 * <project_id>:<rule>:<local date it opened>}). Instants are epoch millis; {@code resolvedAt} is 0
 * while the alert is open, as in the table.
 *
 * <p>{@code withdrawn} (an added column): an alert that a streaming run opened, but that the
 * project's history without it cannot have once an event came in after later ones (within the
 * allowed lateness). It cannot be deleted, so its last version is {@code resolved} with {@code
 * withdrawn} set, and the views that list alerts leave it out.
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
    long updatedAt,
    boolean withdrawn) {

  public static final String WARNING = "warning";
  public static final String CRITICAL = "critical";
  public static final String OPEN = "open";
  public static final String RESOLVED = "resolved";

  public boolean isOpen() {
    return OPEN.equals(status);
  }

  /** This alert as version {@code v}, written at {@code now}. */
  public ProjectAlert asVersion(long v, long now) {
    return new ProjectAlert(
        alertId,
        projectId,
        projectName,
        county,
        chain,
        rule,
        severity,
        status,
        openedAt,
        resolvedAt,
        detail,
        v,
        now,
        withdrawn);
  }

  /** The last version of an alert that the project's history no longer has. */
  public ProjectAlert withdrawal(String why, long v, long now) {
    return new ProjectAlert(
        alertId,
        projectId,
        projectName,
        county,
        chain,
        rule,
        severity,
        RESOLVED,
        openedAt,
        openedAt,
        "withdrawn: " + why,
        v,
        now,
        true);
  }

  /** Whether two versions say the same (everything but version and updated_at). */
  public boolean sameAs(ProjectAlert o) {
    return alertId.equals(o.alertId)
        && projectName.equals(o.projectName)
        && county.equals(o.county)
        && chain.equals(o.chain)
        && severity.equals(o.severity)
        && status.equals(o.status)
        && openedAt == o.openedAt
        && resolvedAt == o.resolvedAt
        && detail.equals(o.detail)
        && withdrawn == o.withdrawn;
  }

  /** The columns ClickHouse would refuse (see {@link cn.xingan.kpi.kpi.RowGuard}). */
  public List<String> problems() {
    List<String> p = new ArrayList<>();
    Columns.dateTime(p, "opened_at", openedAt);
    Columns.dateTime(p, "resolved_at", resolvedAt);
    Columns.dateTime(p, "updated_at", updatedAt);
    if (version < 1) {
      p.add("version = " + version + ", expected 1 or more");
    }
    if (!isOpen() && resolvedAt < openedAt) {
      p.add("resolved_at " + resolvedAt + " is before opened_at " + openedAt);
    }
    return p;
  }
}
