package cn.xingan.kpi.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fast readers agree with the general ones they stand in for. */
class FastIsoTest {

  @Test
  void namedInstants() {
    assertThat(FastIso.epochMillis("2026-06-15T16:00:00Z")).isEqualTo(1_781_539_200_000L);
    assertThat(FastIso.epochMillis("2026-06-16T00:00:00+08:00")).isEqualTo(1_781_539_200_000L);
    assertThat(FastIso.epochMillis("2026-06-30T23:30:00-05:00"))
        .isEqualTo(FastIso.epochMillis("2026-07-01T04:30:00Z"));
    assertThat(FastIso.epochMillis("2028-02-29T12:00:00.123456789+08:00"))
        .isEqualTo(
            OffsetDateTime.parse("2028-02-29T12:00:00.123+08:00").toInstant().toEpochMilli());
    assertThat(FastIso.epochMillis("2026-06-30T09:30+08:00"))
        .isEqualTo(FastIso.epochMillis("2026-06-30T01:30:00Z"));
  }

  @Test
  void invalidShapesAreLeftToTheGeneralParser() {
    for (String s :
        new String[] {
          "2026-02-29T00:00:00Z", "2026-06-30t09:30:00Z", "2026-06-30T24:00:00Z",
          "2026-06-30T09:30:60Z", "2026-06-30T09:30:00.+08:00", "2026-06-30T09:30:00+08",
          "2026-06-30T09:30:00+0800", "2026-06-30T09:30:00+18:01", "2026-06-30T09:30:00z",
          "2026-06-30T09:30:00.1234567890Z", "+12026-06-30T09:30:00Z", "2026-13-01T00:00:00Z"
        }) {
      assertThat(FastIso.epochMillis(s)).as(s).isEqualTo(FastIso.UNKNOWN);
    }
  }

  @Test
  void agreesWithOffsetDateTimeOnRandomTimes() {
    Random random = new Random(5);
    for (int i = 0; i < 20_000; i++) {
      String s =
          String.format(
              "%04d-%02d-%02dT%02d:%02d:%02d%s%s",
              1970 + random.nextInt(130),
              1 + random.nextInt(12),
              1 + random.nextInt(28),
              random.nextInt(24),
              random.nextInt(60),
              random.nextInt(60),
              random.nextBoolean() ? "" : "." + (1 + random.nextInt(999_999)),
              random.nextInt(4) == 0
                  ? "Z"
                  : String.format(
                      "%s%02d:%02d",
                      random.nextBoolean() ? "+" : "-",
                      random.nextInt(15),
                      random.nextInt(4) * 15));
      long expected =
          OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME)
              .toInstant()
              .toEpochMilli();
      assertThat(FastIso.epochMillis(s)).as(s).isEqualTo(expected);
    }
  }

  @Test
  void kebabCodes() {
    assertThat(FastIso.isKebabCode("horqin-right-front")).isTrue();
    assertThat(FastIso.isKebabCode("a1-2b")).isTrue();
    for (String bad : new String[] {"", "-a", "a-", "a--b", "A", "a_b", "a b", "乌兰浩特"}) {
      assertThat(FastIso.isKebabCode(bad)).as(bad).isFalse();
    }
  }

  @Test
  void utf8AgreesWithTheJdkDecoderOnRandomBytes() {
    Random random = new Random(9);
    for (int i = 0; i < 50_000; i++) {
      byte[] b = new byte[1 + random.nextInt(6)];
      random.nextBytes(b);
      boolean jdk = true;
      try {
        StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(b));
      } catch (java.nio.charset.CharacterCodingException e) {
        jdk = false;
      }
      boolean hasNul = false;
      for (byte x : b) {
        hasNul |= x == 0;
      }
      assertThat(FastIso.firstInvalidUtf8(b, 0) < 0)
          .as("%s", java.util.Arrays.toString(b))
          .isEqualTo(jdk && !hasNul);
    }
  }

  @Test
  void utf8NamesTheFirstBadByteAfterAsciiRunsOfEveryLength() {
    byte[][] bad = {
      {0}, {(byte) 0xFF}, {(byte) 0xC0, (byte) 0x80}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}
    };
    byte[] good = "€é𝄞".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    for (int run = 0; run <= 40; run++) {
      for (byte[] b : bad) {
        byte[] prefix = "x".repeat(run).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] tail = "yyyyyyyyyyyyyyyy".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] all = new byte[run + good.length + b.length + tail.length];
        System.arraycopy(prefix, 0, all, 0, run);
        System.arraycopy(good, 0, all, run, good.length);
        System.arraycopy(b, 0, all, run + good.length, b.length);
        System.arraycopy(tail, 0, all, run + good.length + b.length, tail.length);
        assertThat(FastIso.firstInvalidUtf8(all, 0)).as("run %d", run).isEqualTo(run + good.length);
        byte[] valid = new byte[run + good.length + tail.length];
        System.arraycopy(prefix, 0, valid, 0, run);
        System.arraycopy(good, 0, valid, run, good.length);
        System.arraycopy(tail, 0, valid, run + good.length, tail.length);
        assertThat(FastIso.firstInvalidUtf8(valid, 0)).as("run %d", run).isEqualTo(-1);
      }
    }
  }
}
