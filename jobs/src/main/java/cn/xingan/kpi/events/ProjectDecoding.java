package cn.xingan.kpi.events;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code project-progress} rules of the contract, applied to one parsed record. Only the fields
 * of the event's {@code type} are read; a field of another type is ignored like an unknown field.
 * Money is read exactly (never through a double) and kept in fen.
 */
final class ProjectDecoding {
  private static final Map<String, ProjectEventType> TYPES = new LinkedHashMap<>();
  private static final Map<String, Milestone> MILESTONES = new LinkedHashMap<>();
  private static final Map<String, String> LISTS = new LinkedHashMap<>();

  /** The largest amount a ClickHouse {@code Decimal(18,2)} column holds. */
  static final BigDecimal MAX_CNY = new BigDecimal("9999999999999999.99");

  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

  static {
    for (ProjectEventType t : ProjectEventType.values()) {
      TYPES.put(t.code(), t);
    }
    for (Milestone m : Milestone.values()) {
      MILESTONES.put(m.code(), m);
    }
    for (String l : new String[] {"key", "highlight", "difficult"}) {
      LISTS.put(l, l);
    }
  }

  private ProjectDecoding() {}

  static ProjectEvent decode(Fields f, String eventId, long eventTime) {
    String projectId = f.text("project_id");
    ProjectEventType type = f.oneOf("type", TYPES);
    return switch (type) {
      case REGISTERED -> ProjectEvent.registered(eventId, eventTime, projectId, registration(f));
      case INVESTMENT -> investment(f, eventId, eventTime, projectId);
      case PROGRESS ->
          ProjectEvent.progress(eventId, eventTime, projectId, progressMicros(f, "progress_pct"));
      case MILESTONE ->
          ProjectEvent.milestone(eventId, eventTime, projectId, f.oneOf("milestone", MILESTONES));
    };
  }

  private static ProjectRegistration registration(Fields f) {
    String name = f.text("project_name");
    String county = f.code("county");
    String chain = f.code("chain");
    String list = f.oneOf("list", LISTS);
    long total = cents(f, "planned_total_cny", false);
    long year = cents(f, "planned_year_cny", false);
    LocalDate start = f.date("planned_start");
    LocalDate completion = f.date("planned_completion");
    return new ProjectRegistration(
        name, county, chain, list, total, year, start.toEpochDay(), completion.toEpochDay());
  }

  private static ProjectEvent investment(
      Fields f, String eventId, long eventTime, String projectId) {
    long amount = cents(f, "amount_cny", true);
    boolean correction = f.flag("correction");
    if (amount == 0) {
      throw new InvalidEvent(
          Rejection.INVALID_VALUE,
          "field 'amount_cny' is " + f.raw("amount_cny") + "; expected a number other than 0");
    }
    if (amount < 0 && !correction) {
      throw new InvalidEvent(
          Rejection.INVALID_VALUE,
          "field 'amount_cny' is "
              + f.raw("amount_cny")
              + " without \"correction\": true; expected a negative amount only in a correction");
    }
    return ProjectEvent.investment(eventId, eventTime, projectId, amount, correction);
  }

  /** Yuan with at most 2 decimals, within what {@code Decimal(18,2)} holds, as fen. */
  private static long cents(Fields f, String name, boolean mayBeNegative) {
    String expected =
        (mayBeNegative ? "a number" : "a number >= 0")
            + " with at most 2 decimals, at most "
            + MAX_CNY.toPlainString();
    BigDecimal yuan = f.number(name, expected);
    if (yuan.stripTrailingZeros().scale() > 2
        || yuan.abs().compareTo(MAX_CNY) > 0
        || (!mayBeNegative && yuan.signum() < 0)) {
      throw new InvalidEvent(
          Rejection.INVALID_VALUE,
          "field '" + name + "' is " + f.raw(name) + "; expected " + expected);
    }
    return yuan.movePointRight(2).longValueExact();
  }

  private static long progressMicros(Fields f, String name) {
    String expected = "a number from 0 to 100";
    BigDecimal pct = f.number(name, expected);
    if (pct.signum() < 0 || pct.compareTo(HUNDRED) > 0) {
      throw new InvalidEvent(
          Rejection.INVALID_VALUE,
          "field '" + name + "' is " + f.raw(name) + "; expected " + expected);
    }
    return pct.setScale(6, java.math.RoundingMode.HALF_UP).movePointRight(6).longValueExact();
  }
}
