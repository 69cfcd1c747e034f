package cn.xingan.kpi.project;

import java.math.BigDecimal;

/**
 * Sums of yuan kept exact as whole fen in a {@code long}: no floating point ever touches money, so
 * every order of the same events gives the same figures. A sum is held within what a ClickHouse
 * {@code Decimal(18,2)} column stores (the decoder already refuses single amounts beyond it), so
 * absurd input cannot overflow a {@code long} or make the sink fail.
 */
public final class Money {
  /** 9 999 999 999 999 999.99 yuan in fen: the largest {@code Decimal(18,2)}. */
  public static final long MAX_CENTS = 999_999_999_999_999_999L;

  private Money() {}

  /** {@code a + b}, held within ±{@link #MAX_CENTS}. */
  public static long add(long a, long b) {
    long sum = a + b; // both within ±MAX_CENTS, so this cannot overflow a long
    return Math.max(-MAX_CENTS, Math.min(MAX_CENTS, sum));
  }

  /** Fen as yuan with two decimals, for JDBC and JSON. */
  public static BigDecimal yuan(long cents) {
    return BigDecimal.valueOf(cents, 2);
  }

  /** Fen as yuan for people: {@code 12,500,000.75}. */
  public static String format(long cents) {
    return String.format(java.util.Locale.ROOT, "%,.2f", yuan(cents));
  }
}
