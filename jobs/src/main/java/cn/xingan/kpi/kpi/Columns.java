package cn.xingan.kpi.kpi;

import java.time.LocalDate;
import java.util.List;

/**
 * What the ClickHouse column types of the result tables can hold, for {@link RowGuard}: each check
 * adds a problem naming the column, its value and the range expected when the value is outside.
 */
public final class Columns {
  /** The largest UInt32. */
  public static final long UINT32_MAX = 4_294_967_295L;

  /** 9 999 999 999 999 999.99 in fen: the largest {@code Decimal(18,2)}. */
  public static final long DECIMAL_18_2_MAX_CENTS = 999_999_999_999_999_999L;

  /** The last day a {@code Date} (days since 1970 in a UInt16) can hold. */
  public static final LocalDate DATE_MAX = LocalDate.ofEpochDay(65_535);

  private Columns() {}

  public static void uint32(List<String> problems, String column, long v) {
    if (v < 0 || v > UINT32_MAX) {
      problems.add(column + " = " + v + ", expected a UInt32 (0 to " + UINT32_MAX + ")");
    }
  }

  public static void uint64(List<String> problems, String column, long v) {
    if (v < 0) {
      problems.add(column + " = " + v + ", expected a UInt64 (0 or more)");
    }
  }

  /** Fen into a Decimal(18,2) column; with {@code signed} false also 0 or more. */
  public static void money(List<String> problems, String column, long cents, boolean signed) {
    if (Math.abs(cents) > DECIMAL_18_2_MAX_CENTS || (!signed && cents < 0)) {
      problems.add(
          column
              + " = "
              + cents
              + " fen, expected "
              + (signed ? "" : "0 or more and ")
              + "at most 9999999999999999.99 yuan in size (Decimal(18,2))");
    }
  }

  public static void finite(List<String> problems, String column, double v) {
    if (!Double.isFinite(v) || v < 0) {
      problems.add(column + " = " + v + ", expected a finite number, 0 or more");
    }
  }

  public static void date(List<String> problems, String column, LocalDate d) {
    if (d == null || d.isBefore(LocalDate.EPOCH) || d.isAfter(DATE_MAX)) {
      problems.add(column + " = " + d + ", expected a Date from 1970-01-01 to " + DATE_MAX);
    }
  }

  /** Epoch millis into a DateTime column (whole seconds in a UInt32). */
  public static void dateTime(List<String> problems, String column, long millis) {
    if (millis < 0 || millis / 1000 > UINT32_MAX) {
      problems.add(
          column + " = " + millis + " ms, expected an instant from 1970 to 2106 (DateTime)");
    }
  }
}
