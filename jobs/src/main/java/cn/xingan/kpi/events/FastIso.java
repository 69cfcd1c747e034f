package cn.xingan.kpi.events;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.time.DateTimeException;
import java.time.LocalDate;

/**
 * The hot-path readers of the decoder, without regular expressions or {@code DateTimeFormatter}
 * (together they were most of the decoding time): strict UTF-8 checking, kebab-case codes, and the
 * common shape of an ISO-8601 date-time with offset. Each either answers exactly as the slow,
 * general form would, or says it cannot tell so the caller falls back to the general form.
 */
final class FastIso {
  static final long UNKNOWN = Long.MIN_VALUE;

  private FastIso() {}

  /**
   * Epoch millis of {@code yyyy-MM-ddTHH:mm[:ss[.f…]](Z|±hh:mm)}, or {@link #UNKNOWN} when the text
   * has another shape or invalid fields (the general parser then decides and words the error).
   */
  static long epochMillis(String s) {
    int n = s.length();
    if (n < 17
        || n > 35
        || s.charAt(4) != '-'
        || s.charAt(7) != '-'
        || s.charAt(10) != 'T'
        || s.charAt(13) != ':') {
      return UNKNOWN;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 2);
    int day = digits(s, 8, 2);
    int hour = digits(s, 11, 2);
    int minute = digits(s, 14, 2);
    if ((year | month | day | hour | minute) < 0 || hour > 23 || minute > 59) {
      return UNKNOWN;
    }
    int i = 16;
    int second = 0;
    int millis = 0;
    if (i < n && s.charAt(i) == ':') {
      second = digits(s, i + 1, 2);
      if (second < 0 || second > 59) {
        return UNKNOWN;
      }
      i += 3;
      if (i < n && s.charAt(i) == '.') {
        int start = ++i;
        while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
          if (i - start < 3) {
            millis = millis * 10 + (s.charAt(i) - '0');
          }
          i++;
        }
        int count = i - start;
        if (count < 1 || count > 9) {
          return UNKNOWN;
        }
        for (int k = count; k < 3; k++) {
          millis *= 10;
        }
      }
    }
    int offsetSeconds;
    if (i == n - 1 && s.charAt(i) == 'Z') {
      offsetSeconds = 0;
    } else if (i == n - 6 && (s.charAt(i) == '+' || s.charAt(i) == '-') && s.charAt(i + 3) == ':') {
      int oh = digits(s, i + 1, 2);
      int om = digits(s, i + 4, 2);
      if (oh < 0 || om < 0 || om > 59 || oh * 3600 + om * 60 > 18 * 3600) {
        return UNKNOWN;
      }
      offsetSeconds = (s.charAt(i) == '-' ? -1 : 1) * (oh * 3600 + om * 60);
    } else {
      return UNKNOWN;
    }
    long epochDay;
    try {
      epochDay = LocalDate.of(year, month, day).toEpochDay();
    } catch (DateTimeException e) {
      return UNKNOWN;
    }
    long seconds = epochDay * 86_400 + hour * 3_600L + minute * 60L + second - offsetSeconds;
    return seconds * 1000 + millis;
  }

  private static int digits(String s, int from, int count) {
    int v = 0;
    for (int k = from; k < from + count; k++) {
      char c = s.charAt(k);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  /** Whether {@code s} is lower-case kebab-case: {@code [a-z0-9]+(-[a-z0-9]+)*}. */
  static boolean isKebabCode(String s) {
    int n = s.length();
    if (n == 0 || s.charAt(0) == '-' || s.charAt(n - 1) == '-') {
      return false;
    }
    char previous = 0;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c == '-' && previous != '-');
      if (!ok) {
        return false;
      }
      previous = c;
    }
    return true;
  }

  /**
   * The index of the first byte that is not strict UTF-8 (overlong forms, surrogates, code points
   * above U+10FFFF, cut sequences) or is a NUL (never valid in JSON text; it also keeps Jackson
   * from guessing UTF-16 or UTF-32), from {@code from}; -1 when all are valid.
   */
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  static int firstInvalidUtf8(byte[] b, int from) {
    int i = from;
    int n = b.length;
    while (i < n) {
      // ASCII runs (nearly all of an event) 8 bytes at a time: a word passes when no byte has its
      // high bit set and none is 0 (x - 1 then sets it); any other word is checked byte by byte
      while (i + 8 <= n) {
        long w = (long) LONGS.get(b, i);
        if (((w | (w - 0x0101010101010101L)) & 0x8080808080808080L) != 0) {
          break;
        }
        i += 8;
      }
      if (i >= n) {
        break;
      }
      int c = b[i] & 0xFF;
      if (c >= 0x01 && c < 0x80) {
        i++;
        continue;
      }
      int need;
      int lo = 0x80;
      int hi = 0xBF;
      if (c >= 0xC2 && c <= 0xDF) {
        need = 1;
      } else if (c == 0xE0) {
        need = 2;
        lo = 0xA0;
      } else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) {
        need = 2;
      } else if (c == 0xED) {
        need = 2;
        hi = 0x9F;
      } else if (c == 0xF0) {
        need = 3;
        lo = 0x90;
      } else if (c >= 0xF1 && c <= 0xF3) {
        need = 3;
      } else if (c == 0xF4) {
        need = 3;
        hi = 0x8F;
      } else {
        return i;
      }
      if (i + need >= n) {
        return i;
      }
      int second = b[i + 1] & 0xFF;
      if (second < lo || second > hi) {
        return i;
      }
      for (int k = 2; k <= need; k++) {
        int cont = b[i + k] & 0xFF;
        if (cont < 0x80 || cont > 0xBF) {
          return i;
        }
      }
      i += need + 1;
    }
    return -1;
  }
}
