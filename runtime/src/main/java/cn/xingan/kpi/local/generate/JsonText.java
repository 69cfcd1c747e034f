package cn.xingan.kpi.local.generate;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.zone.ZoneRules;

/**
 * The two bits of JSON writing the generators need, done by hand into a reused {@link
 * StringBuilder}: escaped strings and ISO-8601 times with an explicit offset (always {@code
 * +hh:mm}, never {@code Z}, as in CONTRACT.md's example). A formatter or an ObjectMapper per event
 * would be most of the cost when a benchmark generates millions.
 */
final class JsonText {

  private JsonText() {}

  /** Appends {@code value} as a quoted JSON string. */
  static StringBuilder appendQuoted(StringBuilder out, String value) {
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"');
  }

  /**
   * Appends the instant {@code epochSecond} as local time in {@code zone} with its offset, e.g.
   * {@code 2026-06-30T09:30:00+08:00} (no quotes).
   */
  static StringBuilder appendTime(StringBuilder out, long epochSecond, ZoneRules rules) {
    int offset = rules.getOffset(java.time.Instant.ofEpochSecond(epochSecond)).getTotalSeconds();
    long local = epochSecond + offset;
    LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(local, 86_400L));
    int secondOfDay = (int) Math.floorMod(local, 86_400L);
    pad4(out, date.getYear()).append('-');
    pad2(out, date.getMonthValue()).append('-');
    pad2(out, date.getDayOfMonth()).append('T');
    pad2(out, secondOfDay / 3600).append(':');
    pad2(out, secondOfDay / 60 % 60).append(':');
    pad2(out, secondOfDay % 60);
    int abs = Math.abs(offset);
    out.append(offset < 0 ? '-' : '+');
    pad2(out, abs / 3600).append(':');
    pad2(out, abs / 60 % 60);
    if (abs % 60 != 0) {
      pad2(out.append(':'), abs % 60);
    }
    return out;
  }

  /** Convenience for one-off callers. */
  static String time(long epochSecond, ZoneId zone) {
    return appendTime(new StringBuilder(25), epochSecond, zone.getRules()).toString();
  }

  static StringBuilder pad2(StringBuilder out, int v) {
    return out.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
  }

  static StringBuilder pad4(StringBuilder out, int v) {
    if (v < 0 || v > 9999) {
      throw new IllegalArgumentException("year " + v + " cannot be written as YYYY (0000-9999)");
    }
    return pad2(pad2(out, v / 100), v % 100);
  }
}
