package cn.xingan.kpi.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import cn.xingan.kpi.events.Envelope;
import cn.xingan.kpi.events.EventDecoder;
import cn.xingan.kpi.events.Origin;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The decoding format with its helper thread gives what decoding the file line by line on one
 * thread gives, in the file's order, over several chunks; and its helper ends when the reader is
 * closed.
 */
class DecodingLineFormatTest {
  @TempDir Path dir;

  private final EventDecoder decoder = new EventDecoder(-1, 1 << 20);

  @Test
  void theHelperKeepsTheFileOrderAndEveryLineNumber() throws Exception {
    assumeTrue(Runtime.getRuntime().availableProcessors() > 1, "the helper needs a second core");
    List<String> examples = new ArrayList<>();
    for (String file : List.of("valid.jsonl", "invalid.jsonl", "decoder-only-invalid.jsonl")) {
      for (String line : Files.readAllLines(Path.of("..", "schemas", "examples", file))) {
        if (!line.isBlank()) {
          examples.add(line);
        }
      }
    }
    // a few chunks and a partial one, with blank lines and a line that is not UTF-8 among them
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    List<byte[]> lines = new ArrayList<>();
    int lineCount = DecodingLineFormat.CHUNK_LINES * 3 + 517;
    for (int i = 0; i < lineCount; i++) {
      byte[] line =
          i % 97 == 5
              ? new byte[0]
              : i % 389 == 7
                  ? new byte[] {'{', (byte) 0xFF, '}'}
                  : examples.get(i % examples.size()).getBytes(StandardCharsets.UTF_8);
      lines.add(line);
      content.write(line);
      content.write('\n');
    }
    Path file = dir.resolve("many.jsonl");
    Files.write(file, content.toByteArray());

    // the oracle: each non-blank line decoded here, numbered from 1
    List<Envelope> expected = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).length > 0) {
        expected.add(
            decoder.decode(
                null,
                new Origin(file.toString(), 0, i + 1, lines.get(i)),
                System.currentTimeMillis()));
      }
    }

    String helperName = "decode helper of " + Thread.currentThread().getName();
    List<Envelope> read = new ArrayList<>();
    boolean helperSeen;
    DecodingLineFormat format =
        new DecodingLineFormat(new NumberedLineFormat(file.toString(), 1 << 20), decoder);
    try (StreamFormat.Reader<Envelope> reader = NumberedLineFormatTest.open(format, file)) {
      Envelope e = reader.read();
      helperSeen = alive(helperName); // its first chunk is handed over before any is returned
      for (; e != null; e = reader.read()) {
        read.add(e);
      }
    }
    assertThat(helperSeen).as("a helper thread decoded some chunks").isTrue();

    assertThat(read).hasSameSizeAs(expected);
    assertThat(expected.stream().filter(Envelope::isRejected).count()).isGreaterThan(20);
    for (int i = 0; i < expected.size(); i++) {
      Envelope want = expected.get(i);
      Envelope got = read.get(i);
      assertThat(got.isRejected()).as("envelope %d", i).isEqualTo(want.isRejected());
      if (want.isRejected()) {
        assertThat(got.rejection().offset()).isEqualTo(want.rejection().offset());
        assertThat(got.rejection().reason()).isEqualTo(want.rejection().reason());
        assertThat(got.rejection().detail()).isEqualTo(want.rejection().detail());
      } else {
        assertThat(got.origin().offset())
            .as("line of envelope %d", i)
            .isEqualTo(want.origin().offset());
        assertThat(got.stream()).isEqualTo(want.stream());
        assertThat(got.eventTime()).isEqualTo(want.eventTime());
        assertThat(got.service()).isEqualTo(want.service());
        assertThat(got.market()).isEqualTo(want.market());
        assertThat(got.project()).isEqualTo(want.project());
      }
    }

    // closed: the helper ends
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (alive(helperName) && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(alive(helperName)).as("the helper ended with the reader").isFalse();
  }

  private static boolean alive(String name) {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().equals(name) && t.isAlive());
  }
}
