package cn.xingan.kpi.local.generate;

import java.util.List;

/**
 * The League's markets for generated data (DOMAIN.md, "Stream 3"): 31 morning/evening markets with
 * 5,970 stalls ("nearly 6,000") and 19 gig-work markets with 2,750 registered workers ("2,700+").
 * The four markets DOMAIN.md names are here under their names; the others are invented markets in
 * the League's real towns, spread over the areas roughly as the population is.
 */
public final class MarketCatalog {

  private MarketCatalog() {}

  /** Every market, morning/evening markets first, in a fixed order. */
  public static List<MarketSite> standard() {
    return List.of(
        m("ulanhot-tuanjie-night", "团结夜市", "Tuanjie night market", "ulanhot", "night", 320),
        m("ulanhot-hongcheng-night", "红城夜市", "Hongcheng night market", "ulanhot", "night", 340),
        m(
            "ulanhot-heping-morning",
            "和平街早市",
            "Heping Street morning market",
            "ulanhot",
            "morning",
            320),
        m(
            "ulanhot-wuyi-morning",
            "五一北路早市",
            "Wuyi North Road morning market",
            "ulanhot",
            "morning",
            240),
        m(
            "ulanhot-xingan-road-morning-evening",
            "兴安路早晚市",
            "Xing'an Road morning and evening market",
            "ulanhot",
            "morning_evening",
            240),
        m(
            "ulanhot-dulin-morning-evening",
            "都林街早晚市",
            "Dulin Street morning and evening market",
            "ulanhot",
            "morning_evening",
            200),
        m(
            "ulanhot-shengli-farmers",
            "胜利农贸市场",
            "Shengli farmers' market",
            "ulanhot",
            "farmers",
            360),
        m(
            "ulanhot-yilelite-morning",
            "义勒力特早市",
            "Yilelite morning market",
            "ulanhot",
            "morning",
            200),
        m("arxan-night", "阿尔山夜市", "Arxan night market", "arxan", "night", 220),
        m("arxan-yirshi-morning", "伊尔施早市", "Yirshi morning market", "arxan", "morning", 90),
        m("arxan-bailang-morning", "白狼镇早市", "Bailang morning market", "arxan", "morning", 70),
        m(
            "horqin-right-front-town-morning",
            "科尔沁镇早市",
            "Horqin Town morning market",
            "horqin-right-front",
            "morning",
            260),
        m(
            "horqin-right-front-suolun-night",
            "索伦夜市",
            "Suolun night market",
            "horqin-right-front",
            "night",
            140),
        m(
            "horqin-right-front-guiliuhe-morning-evening",
            "归流河早晚市",
            "Guiliuhe morning and evening market",
            "horqin-right-front",
            "morning_evening",
            120),
        m(
            "horqin-right-front-dashizhai-farmers",
            "大石寨农贸市场",
            "Dashizhai farmers' market",
            "horqin-right-front",
            "farmers",
            150),
        m(
            "tushiyetu-farmers",
            "图什业图农贸市场早晚市",
            "Tushiyetu farmers' market, morning and evening",
            "horqin-right-middle",
            "morning_evening",
            260),
        m(
            "horqin-right-middle-bayanhushu-night",
            "巴彦呼舒夜市",
            "Bayanhushu night market",
            "horqin-right-middle",
            "night",
            240),
        m(
            "horqin-right-middle-bayanhushu-morning",
            "巴彦呼舒镇早市",
            "Bayanhushu morning market",
            "horqin-right-middle",
            "morning",
            150),
        m(
            "horqin-right-middle-duerji-morning",
            "杜尔基早市",
            "Du'erji morning market",
            "horqin-right-middle",
            "morning",
            80),
        m("jalaid-yindeer-morning", "音德尔镇早市", "Yinde'er morning market", "jalaid", "morning", 360),
        m("jalaid-yindeer-night", "音德尔夜市", "Yinde'er night market", "jalaid", "night", 220),
        m(
            "jalaid-haolibao-farmers",
            "好力保农贸市场",
            "Haolibao farmers' market",
            "jalaid",
            "farmers",
            110),
        m(
            "jalaid-bayangaole-morning",
            "巴彦高勒早市",
            "Bayangaole morning market",
            "jalaid",
            "morning",
            90),
        m("tuquan-chunzhou-night", "春州夜市", "Chunzhou night market", "tuquan", "night", 240),
        m("tuquan-town-morning", "突泉镇早市", "Tuquan Town morning market", "tuquan", "morning", 250),
        m("tuquan-liuhu-morning", "六户早市", "Liuhu morning market", "tuquan", "morning", 80),
        m(
            "tuquan-shuiquan-farmers",
            "水泉农贸市场",
            "Shuiquan farmers' market",
            "tuquan",
            "farmers",
            100),
        m("dev-zone-night", "开发区夜市", "Development Zone night market", "dev-zone", "night", 220),
        m(
            "dev-zone-morning-evening",
            "开发区早晚市",
            "Development Zone morning and evening market",
            "dev-zone",
            "morning_evening",
            130),
        m(
            "reclamation-morning",
            "农垦早市",
            "Reclamation morning market",
            "reclamation",
            "morning",
            90),
        m("reclamation-night", "农垦夜市", "Reclamation night market", "reclamation", "night", 80),
        gig("ulanhot-gig-1", "乌兰浩特零工市场", "Ulanhot gig-work market", "ulanhot", 40, 1100),
        gig("ulanhot-gig-2", "和平街道零工驿站", "Heping gig-work station", "ulanhot", 12, 160),
        gig("ulanhot-gig-3", "兴安街道零工驿站", "Xing'an gig-work station", "ulanhot", 12, 140),
        gig("ulanhot-gig-4", "都林街道零工驿站", "Dulin gig-work station", "ulanhot", 10, 120),
        gig("arxan-gig-1", "阿尔山零工市场", "Arxan gig-work market", "arxan", 16, 90),
        gig("arxan-gig-2", "伊尔施零工驿站", "Yirshi gig-work station", "arxan", 8, 50),
        gig(
            "horqin-right-front-gig-1",
            "科右前旗零工市场",
            "Horqin Right Front gig-work market",
            "horqin-right-front",
            20,
            160),
        gig(
            "horqin-right-front-gig-2",
            "索伦零工驿站",
            "Suolun gig-work station",
            "horqin-right-front",
            8,
            60),
        gig(
            "horqin-right-front-gig-3",
            "归流河零工驿站",
            "Guiliuhe gig-work station",
            "horqin-right-front",
            8,
            50),
        gig(
            "horqin-right-middle-gig-1",
            "科右中旗零工市场",
            "Horqin Right Middle gig-work market",
            "horqin-right-middle",
            20,
            130),
        gig(
            "horqin-right-middle-gig-2",
            "杜尔基零工驿站",
            "Du'erji gig-work station",
            "horqin-right-middle",
            8,
            50),
        gig(
            "horqin-right-middle-gig-3",
            "高力板零工驿站",
            "Gaoliban gig-work station",
            "horqin-right-middle",
            6,
            40),
        gig("jalaid-gig-1", "扎赉特旗零工市场", "Jalaid gig-work market", "jalaid", 20, 170),
        gig("jalaid-gig-2", "好力保零工驿站", "Haolibao gig-work station", "jalaid", 8, 50),
        gig("jalaid-gig-3", "巴彦高勒零工驿站", "Bayangaole gig-work station", "jalaid", 6, 40),
        gig("tuquan-gig-1", "突泉县零工市场", "Tuquan gig-work market", "tuquan", 20, 140),
        gig("tuquan-gig-2", "六户零工驿站", "Liuhu gig-work station", "tuquan", 8, 50),
        gig("dev-zone-gig-1", "开发区零工市场", "Development Zone gig-work market", "dev-zone", 16, 120),
        gig("reclamation-gig-1", "农垦零工驿站", "Reclamation gig-work station", "reclamation", 6, 30));
  }

  private static MarketSite m(
      String id, String zh, String en, String county, String type, int stalls) {
    return new MarketSite(id, zh, en, county, type, stalls, 0);
  }

  private static MarketSite gig(
      String id, String zh, String en, String county, int booths, int workers) {
    return new MarketSite(id, zh, en, county, "gig", booths, workers);
  }
}
