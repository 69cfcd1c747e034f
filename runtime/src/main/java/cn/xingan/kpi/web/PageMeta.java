package cn.xingan.kpi.web;

import cn.xingan.kpi.events.MarketType;
import cn.xingan.kpi.local.generate.County;
import cn.xingan.kpi.periods.Period;
import cn.xingan.kpi.periods.PeriodKind;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/meta}: what the page needs to know besides the rows — the zone, today's local
 * date there and the periods that contain it (so "this week" is the server's ISO week in the
 * configured zone, not the browser's), and the areas with their Chinese and English names. Needs no
 * ClickHouse.
 */
final class PageMeta {
  private PageMeta() {}

  static Map<String, Object> at(Instant now, ZoneId zone) {
    LocalDate today = now.atZone(zone).toLocalDate();
    Map<String, Object> periods = new LinkedHashMap<>();
    for (PeriodKind kind : PeriodKind.values()) {
      Period p = kind.of(today);
      periods.put(kind.code(), Map.of("start", p.start().toString(), "end", p.end().toString()));
    }
    List<Map<String, String>> areas = new ArrayList<>();
    for (County c : County.ALL) {
      areas.add(Map.of("code", c.code(), "zh", c.nameZh(), "en", c.nameEn()));
    }
    List<String> marketTypes = new ArrayList<>();
    for (MarketType t : MarketType.values()) {
      marketTypes.add(t.code());
    }
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("zone", zone.getId());
    meta.put("now", now.toString());
    meta.put("today", today.toString());
    meta.put("periods", periods);
    meta.put("areas", areas);
    meta.put("market_types", marketTypes);
    return meta;
  }
}
