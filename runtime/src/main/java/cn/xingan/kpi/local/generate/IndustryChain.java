package cn.xingan.kpi.local.generate;

import java.util.List;

/**
 * The 20 key industry chains of the League (DOMAIN.md: each has a "chain chief"), with the kind of
 * project each builds, for generated project names.
 *
 * @param code the {@code chain} field value (kebab-case)
 * @param nameZh the Chinese name
 * @param projectZh a typical project of the chain, in Chinese
 * @param projectEn the same in English
 */
public record IndustryChain(String code, String nameZh, String projectZh, String projectEn) {

  public static final List<IndustryChain> ALL =
      List.of(
          new IndustryChain("corn", "玉米", "玉米深加工", "corn deep processing plant"),
          new IndustryChain("rice", "水稻", "优质稻米加工", "premium rice mill"),
          new IndustryChain("dairy", "奶业", "乳业智能工厂", "dairy smart factory"),
          new IndustryChain("beef-cattle", "肉牛", "肉牛养殖基地", "beef cattle farm"),
          new IndustryChain("mutton-sheep", "肉羊", "肉羊屠宰加工", "mutton processing plant"),
          new IndustryChain("soybean", "大豆", "大豆精深加工", "soybean processing plant"),
          new IndustryChain("minor-grains", "杂粮杂豆", "杂粮加工园", "minor grains park"),
          new IndustryChain("forage", "饲草", "饲草料基地", "forage base"),
          new IndustryChain("wind-power", "风电", "风电场", "wind farm"),
          new IndustryChain("solar-power", "光伏", "光伏电站", "solar plant"),
          new IndustryChain("hydrogen", "氢能", "绿氢制备", "green hydrogen plant"),
          new IndustryChain("thermal-power", "火电", "热电联产", "combined heat and power plant"),
          new IndustryChain("new-materials", "新材料", "新材料产业园", "new materials park"),
          new IndustryChain("biomedicine", "生物医药", "蒙中药产业园", "Mongolian medicine park"),
          new IndustryChain("green-chemicals", "绿色化工", "绿色化工项目", "green chemicals plant"),
          new IndustryChain("equipment", "装备制造", "装备制造基地", "equipment works"),
          new IndustryChain("nonferrous-metals", "有色金属", "有色金属冶炼", "non-ferrous smelter"),
          new IndustryChain("tourism", "文旅", "草原旅游公路", "grassland tourism road"),
          new IndustryChain("logistics", "现代物流", "物流园区", "logistics park"),
          new IndustryChain("digital-economy", "数字经济", "数据中心", "data centre"));
}
