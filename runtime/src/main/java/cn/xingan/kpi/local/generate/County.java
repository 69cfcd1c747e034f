package cn.xingan.kpi.local.generate;

import java.util.List;

/**
 * One area of the League (DOMAIN.md, "Areas of the League") with a relative activity weight, so
 * generated streams put most traffic in Ulanhot, the seat of the League, and little in the
 * reclamation group.
 *
 * @param code the `county` field value (kebab-case)
 * @param nameZh the Chinese name
 * @param nameEn the English name
 * @param weight relative share of activity (any positive number)
 */
public record County(String code, String nameZh, String nameEn, double weight) {

  /** The eight areas in DOMAIN.md order. */
  public static final List<County> ALL =
      List.of(
          new County("ulanhot", "乌兰浩特市", "Ulanhot City", 30),
          new County("arxan", "阿尔山市", "Arxan City", 6),
          new County("horqin-right-front", "科尔沁右翼前旗", "Horqin Right Front Banner", 17),
          new County("horqin-right-middle", "科尔沁右翼中旗", "Horqin Right Middle Banner", 12),
          new County("jalaid", "扎赉特旗", "Jalaid Banner", 15),
          new County("tuquan", "突泉县", "Tuquan County", 11),
          new County(
              "dev-zone", "盟经济技术开发区", "League Economic and Technological Development Zone", 6),
          new County("reclamation", "兴安农垦集团", "Xing'an Agricultural Reclamation Group", 3));

  public County {
    if (!(weight > 0)) {
      throw new IllegalArgumentException(
          "county '" + code + "' weight " + weight + " must be positive");
    }
  }
}
