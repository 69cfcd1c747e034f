package cn.xingan.kpi.events;

import java.time.LocalDate;

/**
 * The attributes a {@code registered} event gives a project; a later registration replaces them
 * all. Money is in fen (exact cents of a yuan); dates are local dates kept as epoch days, which
 * Flink serializes natively (a {@link LocalDate} field would fall back to Kryo).
 */
public record ProjectRegistration(
    String projectName,
    String county,
    String chain,
    String list,
    long plannedTotalCents,
    long plannedYearCents,
    long plannedStartDay,
    long plannedCompletionDay) {

  public LocalDate plannedStart() {
    return LocalDate.ofEpochDay(plannedStartDay);
  }

  public LocalDate plannedCompletion() {
    return LocalDate.ofEpochDay(plannedCompletionDay);
  }
}
