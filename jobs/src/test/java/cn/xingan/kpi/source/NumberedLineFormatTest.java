package cn.xingan.kpi.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cn.xingan.kpi.events.Envelope;
import cn.xingan.kpi.events.EventDecoder;
import cn.xingan.kpi.events.Origin;
import cn.xingan.kpi.events.Rejection;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.local.LocalDataInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backfill files read line by line as raw bytes with their 1-based line number: what a rejected
 * line's {@code offset} points at, and what reaches the decoder (bytes, not text).
 */
class NumberedLineFormatTest {
  private static final int LIMIT = 64;

  @TempDir Path dir;

  /** One line read: its number and its bytes as text (ISO-8859-1 keeps every byte as a char). */
  private record Line(long number, String bytes) {}

  private Path write(byte[] content) throws IOException {
    Path file = dir.resolve("events.jsonl");
    Files.write(file, content);
    return file;
  }

  private Path write(String content) throws IOException {
    return write(content.getBytes(StandardCharsets.UTF_8));
  }

  private List<Origin> readOrigins(Path file, int limit) throws IOException {
    NumberedLineFormat format = new NumberedLineFormat(file.toString(), limit);
    FSDataInputStream in =
        FileSystem.getLocalFileSystem().open(new org.apache.flink.core.fs.Path(file.toUri()));
    assertThat(in).isInstanceOf(LocalDataInputStream.class);
    long length = Files.size(file);
    List<Origin> out = new ArrayList<>();
    try (StreamFormat.Reader<Origin> reader =
        format.createReader(new Configuration(), in, length, length)) {
      Origin o;
      while ((o = reader.read()) != null) {
        out.add(o);
      }
      assertThat(reader.read()).as("read after the end").isNull();
    }
    return out;
  }

  private List<Line> read(Path file) throws IOException {
    List<Line> lines = new ArrayList<>();
    for (Origin o : readOrigins(file, LIMIT)) {
      lines.add(new Line(o.offset(), new String(o.raw(), StandardCharsets.ISO_8859_1)));
    }
    return lines;
  }

  @Test
  void linesAreNumberedFromOne() throws IOException {
    assertThat(read(write("{\"a\":1}\n{\"b\":2}\n{\"c\":3}\n")))
        .containsExactly(
            new Line(1, "{\"a\":1}"), new Line(2, "{\"b\":2}"), new Line(3, "{\"c\":3}"));
  }

  @Test
  void originNamesTheFileAndPartitionZero() throws IOException {
    Path file = write("x\n");
    Origin o = readOrigins(file, LIMIT).get(0);
    assertThat(o.source()).isEqualTo(file.toString());
    assertThat(o.partition()).isZero();
    assertThat(o.offset()).isEqualTo(1L);
  }

  @Test
  void blankLinesAreSkippedButCounted() throws IOException {
    assertThat(read(write("\n{\"a\":1}\n\n   \n\t\n{\"b\":2}\n\n")))
        .containsExactly(new Line(2, "{\"a\":1}"), new Line(6, "{\"b\":2}"));
  }

  @Test
  void crlfEndingsAreDropped() throws IOException {
    assertThat(read(write("{\"a\":1}\r\n\r\n{\"b\":2}\r\n")))
        .containsExactly(new Line(1, "{\"a\":1}"), new Line(3, "{\"b\":2}"));
  }

  @Test
  void onlyTheCrBeforeTheNewlineIsDropped() throws IOException {
    assertThat(read(write("a\rb\r\r\n\rc\n")))
        .containsExactly(new Line(1, "a\rb\r"), new Line(2, "\rc"));
  }

  @Test
  void theLastLineNeedsNoNewline() throws IOException {
    assertThat(read(write("{\"a\":1}\n{\"b\":2}")))
        .containsExactly(new Line(1, "{\"a\":1}"), new Line(2, "{\"b\":2}"));
    assertThat(read(write("{\"a\":1}\r\n{\"b\":2}\r")))
        .containsExactly(new Line(1, "{\"a\":1}"), new Line(2, "{\"b\":2}"));
  }

  @Test
  void emptyAndBlankFilesHaveNoLines() throws IOException {
    assertThat(read(write(""))).isEmpty();
    assertThat(read(write("\n\r\n  \n"))).isEmpty();
  }

  @Test
  void aLineAtTheLimitIsKeptWhole() throws IOException {
    String exact = "x".repeat(LIMIT);
    assertThat(read(write(exact + "\n" + exact + "\r\n" + exact)))
        .containsExactly(new Line(1, exact), new Line(2, exact), new Line(3, exact));
  }

  @Test
  void aLongerLineKeepsOneByteMoreThanTheLimit() throws IOException {
    String longLine = "y".repeat(LIMIT * 50);
    assertThat(read(write("a\n" + longLine + "\nb\n")))
        .containsExactly(new Line(1, "a"), new Line(2, "y".repeat(LIMIT + 1)), new Line(3, "b"));
  }

  @Test
  void aLineOneByteOverTheLimitStaysOverIt() throws IOException {
    // LIMIT + 1 bytes, the last one a CR inside the line, then CRLF: the CR at the cut must not
    // be taken for the line ending, which would bring the line back to the limit.
    String line = "z".repeat(LIMIT) + "\r";
    List<Line> lines = read(write(line + "\r\n" + "z".repeat(LIMIT) + "\r\n"));
    assertThat(lines).extracting(Line::bytes).containsExactly(line, "z".repeat(LIMIT));
  }

  @Test
  void bytesAreNotDecoded() throws IOException {
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    byte[] invalid = {
      '{', '"', 'a', '"', ':', '"', (byte) 0xFF, (byte) 0xC1, (byte) 0x81, '"', '}'
    };
    byte[] chinese = "{\"n\":\"乌兰浩特\"}".getBytes(StandardCharsets.UTF_8);
    content.writeBytes(invalid);
    content.write('\n');
    content.writeBytes(chinese);
    content.write('\n');
    List<Origin> origins = readOrigins(write(content.toByteArray()), 1_000);
    assertThat(origins).hasSize(2);
    assertThat(origins.get(0).raw()).isEqualTo(invalid);
    assertThat(origins.get(1).raw()).isEqualTo(chinese);
  }

  @Test
  void theDecoderRejectsWhatTheReaderPassesOn() throws IOException {
    int limit = 1024;
    String good =
        "{\"stream\":\"service-transactions\",\"event_id\":\"e1\","
            + "\"event_time\":\"2026-06-29T10:15:00+08:00\",\"transaction_id\":\"t1\","
            + "\"service_code\":\"mortgage-filing\",\"service_name\":\"Mortgage filing\","
            + "\"department\":\"natural-resources\",\"county\":\"ulanhot\",\"status\":\"accepted\","
            + "\"channel\":\"online\",\"statutory_days\":30,\"promised_days\":5}";
    String tooLong =
        good.substring(0, good.length() - 1) + ",\"pad\":\"" + "p".repeat(limit) + "\"}";
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    content.writeBytes((good + "\r\n").getBytes(StandardCharsets.UTF_8));
    content.writeBytes((tooLong + "\n\n").getBytes(StandardCharsets.UTF_8));
    content.writeBytes(
        good.replace("Mortgage", "Mort\u00ffgage").getBytes(StandardCharsets.ISO_8859_1));
    List<Origin> origins = readOrigins(write(content.toByteArray()), limit);
    assertThat(origins).extracting(Origin::offset).containsExactly(1L, 2L, 4L);
    assertThat(origins.get(1).raw()).hasSize(limit + 1);

    EventDecoder decoder = new EventDecoder(-1, limit);
    List<Envelope> decoded = origins.stream().map(o -> decoder.decode(null, o, 0L)).toList();
    assertThat(decoded.get(0).isRejected()).isFalse();
    assertThat(decoded.get(1).rejection().reason()).isEqualTo(Rejection.TOO_LARGE);
    assertThat(decoded.get(1).rejection().offset()).isEqualTo(2L);
    assertThat(decoded.get(2).rejection().reason()).isEqualTo(Rejection.MALFORMED_JSON);
    assertThat(decoded.get(2).rejection().detail()).contains("UTF-8").contains("FF");
    assertThat(decoded.get(2).rejection().offset()).isEqualTo(4L);

    // The decoding format gives the same envelopes, decoded in its reader (the fetcher thread).
    Path file = dir.resolve("events.jsonl");
    DecodingLineFormat decoding =
        new DecodingLineFormat(new NumberedLineFormat(file.toString(), limit), decoder);
    assertThat(decoding.isSplittable()).isFalse();
    List<Envelope> read = new ArrayList<>();
    long before = System.currentTimeMillis();
    try (StreamFormat.Reader<Envelope> reader = open(decoding, file)) {
      Envelope e;
      while ((e = reader.read()) != null) {
        read.add(e);
      }
    }
    assertThat(read).hasSize(3);
    assertThat(read.get(0).service()).isEqualTo(decoded.get(0).service());
    assertThat(read.get(0).origin().offset()).isEqualTo(1L);
    for (int i = 1; i < 3; i++) {
      Rejection r = read.get(i).rejection();
      assertThat(r.receivedAt()).isBetween(before, System.currentTimeMillis());
      Rejection expected = decoded.get(i).rejection();
      assertThat(r)
          .isEqualTo(
              new Rejection(
                  r.receivedAt(),
                  expected.source(),
                  expected.partition(),
                  expected.offset(),
                  expected.eventId(),
                  expected.reason(),
                  expected.detail(),
                  expected.raw(),
                  expected.rawBytes()));
    }
  }

  @Test
  void longFilesKeepCounting() throws IOException {
    StringBuilder b = new StringBuilder();
    for (int i = 1; i <= 100_000; i++) {
      b.append(i % 10 == 0 ? "" : "{\"i\":" + i + "}").append('\n');
    }
    List<Line> lines = read(write(b.toString()));
    assertThat(lines).hasSize(90_000);
    for (Line line : lines) {
      assertThat(line.bytes()).isEqualTo("{\"i\":" + line.number() + "}");
    }
  }

  @Test
  void filesAreReadWholeAndNeverRestored() throws IOException {
    NumberedLineFormat format = new NumberedLineFormat("f", LIMIT);
    assertThat(format.isSplittable()).isFalse();
    Path file = write("x\n");
    FSDataInputStream in =
        FileSystem.getLocalFileSystem().open(new org.apache.flink.core.fs.Path(file.toUri()));
    try (in) {
      assertThatThrownBy(() -> format.restoreReader(new Configuration(), in, 1, 2, 2))
          .isInstanceOf(UnsupportedOperationException.class);
    }
  }

  @Test
  void theSameBytesAsTheFile() throws IOException {
    byte[] content = "{\"a\":\"é\"}\n".getBytes(StandardCharsets.UTF_8);
    Origin o = readOrigins(write(content), LIMIT).get(0);
    assertThat(o.raw()).isEqualTo(Arrays.copyOf(content, content.length - 1));
  }

  @Test
  void linesAcrossTheReadBufferComeOutWhole() throws IOException {
    // lines of 1 to 150,000 bytes, so that line ends fall everywhere in the 64 KiB read buffer,
    // some lines span it several times, and one is cut at the limit
    StringBuilder content = new StringBuilder();
    List<String> expected = new ArrayList<>();
    java.util.Random random = new java.util.Random(7);
    for (int i = 0; i < 200; i++) {
      int length = i % 50 == 0 ? 150_000 : 1 + random.nextInt(3000);
      String line = String.valueOf((char) ('a' + i % 26)).repeat(length);
      content.append(line).append(i % 3 == 0 ? "\r\n" : "\n");
      expected.add(line.length() > 100_000 ? line.substring(0, 100_001) : line);
    }
    List<Origin> origins = readOrigins(write(content.toString()), 100_000);
    assertThat(origins).hasSize(200);
    for (int i = 0; i < 200; i++) {
      assertThat(origins.get(i).offset()).isEqualTo(i + 1);
      assertThat(new String(origins.get(i).raw(), StandardCharsets.ISO_8859_1))
          .as("line %d", i + 1)
          .isEqualTo(expected.get(i));
    }
  }

  /**
   * Line ends at every place in an eight-byte word, between bytes that differ from a newline by one
   * bit or its borrow ({@code 0x0b}, {@code 0x8a}, {@code 0x00}, {@code 0xff}, …), against a split
   * of the same bytes by hand.
   */
  @Test
  void newlinesAreFoundAmongBytesThatNearlyMatchThem() throws IOException {
    byte[] alphabet = {
      0x0b, (byte) 0x8a, 0x00, 0x01, (byte) 0xff, (byte) 0xf5, 0x09, 'a', 0x1a, 0x4a
    };
    java.util.Random random = new java.util.Random(11);
    java.io.ByteArrayOutputStream content = new java.io.ByteArrayOutputStream();
    List<byte[]> expected = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      byte[] line = new byte[1 + random.nextInt(i % 10 == 0 ? 200 : 20)];
      line[0] = 'x'; // never blank
      for (int j = 1; j < line.length; j++) {
        line[j] = alphabet[random.nextInt(alphabet.length)];
      }
      content.write(line);
      content.write('\n');
      expected.add(line);
    }
    List<Origin> origins = readOrigins(write(content.toByteArray()), 1_000);
    assertThat(origins).hasSize(expected.size());
    for (int i = 0; i < expected.size(); i++) {
      assertThat(origins.get(i).raw()).as("line %d", i + 1).isEqualTo(expected.get(i));
    }
  }

  /** A reader of the whole file, as the file source opens one for a split that is the file. */
  static <T> StreamFormat.Reader<T> open(StreamFormat<T> format, Path file) throws IOException {
    long length = Files.size(file);
    return format.createReader(
        new Configuration(),
        FileSystem.getLocalFileSystem().open(new org.apache.flink.core.fs.Path(file.toUri())),
        length,
        length);
  }
}
