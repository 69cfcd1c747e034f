package cn.xingan.kpi.local.generate;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * One public service a department offers, with its legal time limit and the shorter limit the
 * League promises (DOMAIN.md: e.g. a land-ownership dispute ruling, 180 statutory days, is promised
 * in 16).
 *
 * @param code the `service_code` field value (kebab-case)
 * @param nameZh the `service_name` field value
 * @param department the department that runs it
 * @param statutoryDays the legal time limit in days
 * @param promisedDays the promised time limit in days, at most {@code statutoryDays}
 * @param weight relative volume within its department
 * @param channels relative channel shares; empty means the department's defaults
 */
public record ServiceItem(
    String code,
    String nameZh,
    Department department,
    int statutoryDays,
    int promisedDays,
    double weight,
    Map<Channel, Double> channels) {

  /** Lower-case kebab-case, as CONTRACT.md §1 requires of codes. */
  public static final Pattern KEBAB_CASE = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

  public ServiceItem {
    channels = Map.copyOf(channels.isEmpty() ? department.channels() : channels);
    if (!KEBAB_CASE.matcher(code).matches()) {
      throw new IllegalArgumentException("service code '" + code + "' is not kebab-case");
    }
    if (promisedDays < 1 || promisedDays > statutoryDays) {
      throw new IllegalArgumentException(
          "service '"
              + code
              + "' promises "
              + promisedDays
              + " days against "
              + statutoryDays
              + " statutory days; expected 1 <= promised <= statutory");
    }
    if (!(weight > 0)) {
      throw new IllegalArgumentException("service '" + code + "' weight " + weight + " <= 0");
    }
  }

  /** Share of {@code channel} among this service's requests, 0 when it is not offered. */
  public double channelShare(Channel channel) {
    double total = channels.values().stream().mapToDouble(Double::doubleValue).sum();
    return channels.getOrDefault(channel, 0.0) / total;
  }
}
