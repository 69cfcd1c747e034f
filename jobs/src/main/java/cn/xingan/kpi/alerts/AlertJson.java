package cn.xingan.kpi.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * An alert version as the JSON message of the topic {@code project-alerts}: the columns of {@code
 * project_alerts} under the same names, instants as ISO-8601 with the offset of the configured zone
 * (as the input events write them), and {@code resolved_at} {@code null} while the alert is open
 * (the table's {@code 1970-01-01 00:00:00} means the same), and the added field {@code withdrawn}.
 */
public final class AlertJson {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter TIME = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

  private AlertJson() {}

  public static byte[] toJson(ProjectAlert a, ZoneId zone) {
    ObjectNode n = JSON.createObjectNode();
    n.put("alert_id", a.alertId());
    n.put("project_id", a.projectId());
    n.put("project_name", a.projectName());
    n.put("county", a.county());
    n.put("chain", a.chain());
    n.put("rule", a.rule());
    n.put("severity", a.severity());
    n.put("status", a.status());
    n.put("opened_at", time(a.openedAt(), zone));
    if (a.isOpen()) {
      n.putNull("resolved_at");
    } else {
      n.put("resolved_at", time(a.resolvedAt(), zone));
    }
    n.put("detail", a.detail());
    n.put("version", a.version());
    n.put("updated_at", time(a.updatedAt(), zone));
    n.put("withdrawn", a.withdrawn());
    return n.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String time(long millis, ZoneId zone) {
    return TIME.format(Instant.ofEpochMilli(millis).atZone(zone).toOffsetDateTime());
  }
}
