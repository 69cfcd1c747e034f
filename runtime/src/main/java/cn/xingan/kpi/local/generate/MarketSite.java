package cn.xingan.kpi.local.generate;

import java.util.Set;

/**
 * One market of the League as the generator models it (DOMAIN.md, "Stream 3").
 *
 * @param id the `market_id` (and Kafka record key)
 * @param nameZh the Chinese name
 * @param nameEn the English name
 * @param county the `county` code of its area
 * @param type the `market_type` code: night, morning, morning_evening, farmers or gig
 * @param stalls stalls set out in a normal session (booths of a gig-work market)
 * @param workers gig workers registered at the end of June 2026 (0 for other markets)
 */
public record MarketSite(
    String id, String nameZh, String nameEn, String county, String type, int stalls, int workers) {

  private static final Set<String> TYPES =
      Set.of("night", "morning", "morning_evening", "farmers", "gig");

  public MarketSite {
    if (!TYPES.contains(type)) {
      throw new IllegalArgumentException(
          "market '" + id + "' type '" + type + "'; expected one of " + TYPES);
    }
    if (stalls < 1 || workers < 0 || (workers > 0 && !type.equals("gig"))) {
      throw new IllegalArgumentException(
          "market '"
              + id
              + "' has "
              + stalls
              + " stalls and "
              + workers
              + " workers; expected stalls >= 1, and workers >= 0 on gig markets only");
    }
  }

  public boolean isGig() {
    return type.equals("gig");
  }

  /** The `market_name` value: both names, as dashboards show either. */
  public String marketName() {
    return nameZh + " " + nameEn;
  }
}
