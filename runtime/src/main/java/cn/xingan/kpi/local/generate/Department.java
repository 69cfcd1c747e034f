package cn.xingan.kpi.local.generate;

import java.util.Map;

/**
 * A League department that runs service windows, with the traits that shape its traffic: how its
 * requests split over channels, how often they are rejected and how often completion is late.
 *
 * @param code the `department` field value (kebab-case)
 * @param nameZh the Chinese name
 * @param weight relative share of all service transactions
 * @param channels default relative channel shares for its services
 * @param rejectShare probability that a transaction ends `rejected`
 * @param lateShare probability that a completion misses the promised days
 */
public record Department(
    String code,
    String nameZh,
    double weight,
    Map<Channel, Double> channels,
    double rejectShare,
    double lateShare) {

  public Department {
    channels = Map.copyOf(channels);
    if (!(weight > 0)) {
      throw new IllegalArgumentException("department '" + code + "' weight " + weight + " <= 0");
    }
    if (!(rejectShare >= 0 && rejectShare < 1 && lateShare >= 0 && lateShare < 1)) {
      throw new IllegalArgumentException(
          "department '"
              + code
              + "' reject share "
              + rejectShare
              + " and late share "
              + lateShare
              + " must be in [0, 1)");
    }
  }
}
