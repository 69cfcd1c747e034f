package cn.xingan.kpi.alerts;

import cn.xingan.kpi.events.ProjectRegistration;
import cn.xingan.kpi.project.Money;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;

/**
 * One {@code behind_plan} check of a project on check day D (the 1st or 16th, at 00:00), exactly as
 * the contract defines it: this year's plan span runs from S = max(planned_start, Jan 1) to E =
 * min(planned_completion, Dec 31), both inclusive; elapsed share = clamp((D − S) / (E − S + 1 day),
 * 0, 1); expected = planned_year × share. Comparisons are done in whole numbers (fen × days), so a
 * share such as 45/290 is never rounded. A span with no day in the year (E before S) expects
 * nothing.
 *
 * <p>Example: planned start 2026-03-15, completion 2027-06-30, plan this year 60 000 000.00; on
 * 2026-06-16 the span is 2026-03-15..2026-12-31 (292 days), 93 days have elapsed, so 19 109 589.04
 * yuan are expected and behind_plan opens below 80 % of it, 15 287 671.23.
 */
public record BehindPlanCheck(
    LocalDate day,
    LocalDate spanStart,
    LocalDate spanEnd,
    long spanDays,
    long elapsedDays,
    long plannedYearCents,
    long ytdCents) {

  public static BehindPlanCheck of(ProjectRegistration r, LocalDate day, long ytdCents) {
    LocalDate jan1 = LocalDate.of(day.getYear(), 1, 1);
    LocalDate dec31 = LocalDate.of(day.getYear(), 12, 31);
    LocalDate s = r.plannedStart().isAfter(jan1) ? r.plannedStart() : jan1;
    LocalDate e = r.plannedCompletion().isBefore(dec31) ? r.plannedCompletion() : dec31;
    long span = ChronoUnit.DAYS.between(s, e) + 1;
    long elapsed = span <= 0 ? 0 : Math.max(0, Math.min(span, ChronoUnit.DAYS.between(s, day)));
    return new BehindPlanCheck(day, s, e, span, elapsed, r.plannedYearCents(), ytdCents);
  }

  /** Whether any investment is expected by now. */
  public boolean expectsInvestment() {
    return plannedYearCents > 0 && elapsedDays > 0;
  }

  /** Whether the year-to-date investment is below {@code pct} % of the expected. */
  public boolean below(int pct) {
    // ytd < pct/100 × planned × elapsed/span  ⇔  ytd × span × 100 < pct × planned × elapsed
    long span = Math.max(1, spanDays);
    BigInteger left =
        BigInteger.valueOf(ytdCents)
            .multiply(BigInteger.valueOf(span))
            .multiply(BigInteger.valueOf(100));
    BigInteger right =
        BigInteger.valueOf(pct)
            .multiply(BigInteger.valueOf(plannedYearCents))
            .multiply(BigInteger.valueOf(elapsedDays));
    return left.compareTo(right) < 0;
  }

  /** The expected investment in yuan, to the fen (for people; decisions use {@link #below}). */
  public BigDecimal expectedYuan() {
    return BigDecimal.valueOf(plannedYearCents)
        .multiply(BigDecimal.valueOf(elapsedDays))
        .divide(BigDecimal.valueOf(Math.max(1, spanDays) * 100L), 2, RoundingMode.HALF_UP);
  }

  /** The year-to-date investment as a percentage of the expected, one decimal (0 if none). */
  public BigDecimal percentOfExpected() {
    BigDecimal expected = expectedYuan();
    if (expected.signum() == 0) {
      return BigDecimal.ZERO;
    }
    return Money.yuan(ytdCents)
        .multiply(BigDecimal.valueOf(100))
        .divide(expected, 1, RoundingMode.HALF_UP);
  }

  /** The elapsed share of the span in percent, one decimal. */
  public BigDecimal sharePercent() {
    return BigDecimal.valueOf(elapsedDays * 100L)
        .divide(BigDecimal.valueOf(Math.max(1, spanDays)), 1, RoundingMode.HALF_UP);
  }
}
