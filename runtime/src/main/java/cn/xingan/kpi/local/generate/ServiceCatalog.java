package cn.xingan.kpi.local.generate;

import static cn.xingan.kpi.local.generate.Channel.MAIL;
import static cn.xingan.kpi.local.generate.Channel.ONE_STOP_POLICE;
import static cn.xingan.kpi.local.generate.Channel.ONLINE;
import static cn.xingan.kpi.local.generate.Channel.WINDOW;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The departments and services of the League's service windows, after DOMAIN.md: the Natural
 * Resources Bureau's 26 fully-online services, the one-stop police stations' household, traffic and
 * public-order items, and the employment and social-insurance windows. Statutory days are the legal
 * limits as commonly published; promised days are the League's compressed limits.
 */
public final class ServiceCatalog {

  public static final Department NATURAL_RESOURCES =
      new Department(
          "natural-resources",
          "自然资源局",
          28,
          Map.of(ONLINE, 0.92, WINDOW, 0.05, MAIL, 0.03),
          0.02,
          0.03);
  public static final Department PUBLIC_SECURITY =
      new Department(
          "public-security",
          "公安局",
          42,
          Map.of(ONE_STOP_POLICE, 0.80, ONLINE, 0.16, MAIL, 0.04),
          0.03,
          0.05);
  public static final Department HR_SOCIAL_SECURITY =
      new Department(
          "hr-social-security",
          "人力资源和社会保障局",
          30,
          Map.of(WINDOW, 0.55, ONLINE, 0.40, MAIL, 0.05),
          0.04,
          0.07);

  private final List<ServiceItem> services = new ArrayList<>();

  private ServiceCatalog() {}

  /** The League's catalog: 26 natural-resources, 13 police and 11 HR/social-security services. */
  public static ServiceCatalog standard() {
    ServiceCatalog c = new ServiceCatalog();
    Department nr = NATURAL_RESOURCES;
    c.add(nr, "mortgage-registration", "抵押登记", 30, 5, 20);
    c.add(nr, "mortgage-cancellation", "抵押注销登记", 30, 5, 14);
    c.add(nr, "land-ownership-dispute-ruling", "土地权属争议裁决", 180, 16, 0.3);
    c.add(nr, "land-pre-review-site-selection", "建设项目用地预审与选址意见书", 20, 5, 1);
    c.add(nr, "surveying-licence", "测绘资质审批", 20, 5, 0.5);
    c.add(nr, "mining-right-new-registration", "采矿权新立登记", 40, 20, 0.3);
    c.add(nr, "mining-right-extension", "采矿权延续登记", 40, 20, 0.3);
    c.add(nr, "mining-right-change", "采矿权变更登记", 40, 20, 0.2);
    c.add(nr, "mining-right-cancellation", "采矿权注销登记", 40, 10, 0.2);
    c.add(nr, "exploration-right-new-registration", "探矿权新立登记", 40, 20, 0.2);
    c.add(nr, "exploration-right-extension", "探矿权延续登记", 40, 20, 0.2);
    c.add(nr, "mineral-reserves-filing", "矿产资源储量评审备案", 30, 15, 0.2);
    c.add(nr, "construction-land-planning-permit", "建设用地规划许可证核发", 20, 7, 1);
    c.add(nr, "construction-project-planning-permit", "建设工程规划许可证核发", 20, 7, 1.2);
    c.add(nr, "rural-construction-planning-permit", "乡村建设规划许可证核发", 20, 7, 1);
    c.add(nr, "planning-completion-verification", "建设工程竣工规划核实", 20, 7, 0.8);
    c.add(nr, "state-land-first-registration", "国有建设用地使用权首次登记", 30, 5, 2);
    c.add(nr, "real-estate-transfer-registration", "不动产转移登记", 30, 5, 16);
    c.add(nr, "real-estate-change-registration", "不动产变更登记", 30, 3, 6);
    c.add(nr, "advance-notice-registration", "预告登记", 30, 3, 5);
    c.add(nr, "real-estate-records-inquiry", "不动产登记资料查询", 20, 1, 8);
    c.add(nr, "temporary-land-use-approval", "临时用地审批", 20, 10, 0.5);
    c.add(nr, "farmland-conversion-approval", "农用地转用审批", 60, 20, 0.3);
    c.add(nr, "land-reclamation-plan-review", "土地复垦方案审查", 20, 10, 0.3);
    c.add(nr, "geohazard-assessment-filing", "地质灾害危险性评估报告备案", 20, 5, 0.4);
    c.add(nr, "surveying-results-provision", "基础测绘成果提供", 20, 5, 0.6);

    Department ps = PUBLIC_SECURITY;
    Map<Channel, Double> inPerson = Map.of(ONE_STOP_POLICE, 1.0);
    c.add(ps, "residence-permit", "居住证办理", 15, 1, 10);
    c.add(ps, "household-transfer", "户口迁移登记", 20, 1, 8);
    c.add(ps, "birth-registration", "出生登记", 20, 1, 5);
    c.add(ps, "household-certificate", "户籍证明开具", 5, 1, 4);
    c.add(ps, "id-card-application", "居民身份证申领", 60, 15, 14, inPerson);
    c.add(ps, "temporary-id-card", "临时居民身份证办理", 3, 1, 3, inPerson);
    c.add(
        ps,
        "no-criminal-record-certificate",
        "无犯罪记录证明",
        7,
        3,
        5,
        Map.of(ONLINE, 0.4, ONE_STOP_POLICE, 0.6));
    c.add(ps, "driving-licence-renewal", "机动车驾驶证换证", 5, 1, 8);
    c.add(ps, "vehicle-registration", "机动车注册登记", 5, 1, 6);
    c.add(
        ps,
        "vehicle-inspection-mark",
        "机动车检验合格标志核发",
        5,
        1,
        6,
        Map.of(ONLINE, 0.6, ONE_STOP_POLICE, 0.4));
    c.add(
        ps,
        "traffic-violation-handling",
        "交通违法处理",
        5,
        1,
        7,
        Map.of(ONLINE, 0.5, ONE_STOP_POLICE, 0.5));
    c.add(ps, "hotel-special-trade-licence", "旅馆业特种行业许可证核发", 20, 10, 0.3, inPerson);
    c.add(ps, "seal-engraving-filing", "印章刻制备案", 1, 1, 1);

    Department hr = HR_SOCIAL_SECURITY;
    c.add(hr, "employment-registration", "就业登记", 10, 1, 8);
    c.add(hr, "unemployment-registration", "失业登记", 10, 1, 4);
    c.add(hr, "unemployment-benefit-claim", "失业保险金申领", 20, 5, 4);
    c.add(hr, "social-security-card", "社会保障卡申领", 30, 7, 8);
    c.add(hr, "pension-transfer", "养老保险关系转移接续", 45, 15, 3);
    c.add(hr, "resident-pension-enrolment", "城乡居民养老保险参保登记", 15, 1, 6);
    c.add(hr, "pension-benefit-claim", "职工养老保险待遇申领", 30, 10, 3);
    c.add(hr, "flexible-employment-insurance", "灵活就业人员参保登记", 10, 1, 5);
    c.add(hr, "work-injury-recognition", "工伤认定", 60, 20, 1);
    c.add(hr, "skill-certificate-verification", "职业技能等级证书查询核验", 5, 1, 2);
    c.add(hr, "startup-guarantee-loan", "创业担保贷款申请", 20, 10, 1);
    return c;
  }

  /** Every service, in catalog order. */
  public List<ServiceItem> services() {
    return List.copyOf(services);
  }

  /** The services of one department, in catalog order. */
  public List<ServiceItem> servicesOf(Department department) {
    return services.stream().filter(s -> s.department().equals(department)).toList();
  }

  /** The three departments, in catalog order. */
  public List<Department> departments() {
    return services.stream().map(ServiceItem::department).distinct().toList();
  }

  /**
   * A service's share of all transactions: its department's share times its weight within the
   * department.
   */
  public double share(ServiceItem service) {
    double departments = departments().stream().mapToDouble(Department::weight).sum();
    double siblings =
        servicesOf(service.department()).stream().mapToDouble(ServiceItem::weight).sum();
    return service.department().weight() / departments * service.weight() / siblings;
  }

  private void add(Department d, String code, String name, int statutory, int promised, double w) {
    add(d, code, name, statutory, promised, w, Map.of());
  }

  private void add(
      Department d,
      String code,
      String name,
      int statutory,
      int promised,
      double w,
      Map<Channel, Double> channels) {
    for (ServiceItem s : services) {
      if (s.code().equals(code)) {
        throw new IllegalStateException("service code '" + code + "' is listed twice");
      }
    }
    services.add(new ServiceItem(code, name, d, statutory, promised, w, channels));
  }
}
