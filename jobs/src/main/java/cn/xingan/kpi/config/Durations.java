package cn.xingan.kpi.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the short durations users type on the command line: {@code 500ms}, {@code 10s}, {@code
 * 5m}, {@code 2h}, {@code 7d}.
 */
public final class Durations {
  private static final Pattern FORMAT = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  /** The largest whole number of days that fits in a long of millis. */
  private static final long MAX_DAYS = Long.MAX_VALUE / 86_400_000L;

  private Durations() {}

  /**
   * The duration of a text such as {@code 10s}; the exception's message says what was expected, for
   * the caller to put after the option's name and value.
   */
  public static Duration parse(String text) {
    Matcher m = FORMAT.matcher(text == null ? "" : text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "is not a duration; expected a number and a unit ms, s, m, h or d, e.g. 10s or 7d");
    }
    try {
      long n = Long.parseLong(m.group(1));
      Duration d =
          switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
          };
      d.toMillis(); // the jobs use durations as millis: refuse what does not fit
      return d;
    } catch (NumberFormatException | ArithmeticException e) {
      throw new IllegalArgumentException("is too long; expected at most " + MAX_DAYS + "d");
    }
  }

  /** The inverse of {@link #parse} for display, choosing the largest exact unit. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms != 0 && ms % 86_400_000L == 0) return ms / 86_400_000L + "d";
    if (ms != 0 && ms % 3_600_000L == 0) return ms / 3_600_000L + "h";
    if (ms != 0 && ms % 60_000L == 0) return ms / 60_000L + "m";
    if (ms % 1000L == 0) return ms / 1000L + "s";
    return ms + "ms";
  }
}
