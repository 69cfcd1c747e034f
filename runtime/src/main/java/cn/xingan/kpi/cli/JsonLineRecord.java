package cn.xingan.kpi.cli;

import cn.xingan.kpi.events.EventStream;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * What {@code bin/kpi produce} makes of one line of a JSON Lines file: the Kafka record (topic from
 * the {@code "stream"} field, key from the stream's key field as CONTRACT.md section 1 says) or why
 * the line cannot be sent. The record's value is the line's bytes unchanged (the {@code stream}
 * field included, which the job ignores), so the job's own validation decides about everything
 * else, exactly as it does for a backfill of the same file.
 */
sealed interface JsonLineRecord {
  ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /** A line to send. */
  record Send(EventStream stream, String key, byte[] value) implements JsonLineRecord {}

  /** A line that is empty or only white space: skipped, not counted as a problem. */
  record Blank() implements JsonLineRecord {}

  /** A line that cannot be sent, and why. */
  record Problem(Reason reason, String detail) implements JsonLineRecord {}

  /** Why a line cannot be sent; the summary counts lines by it. */
  enum Reason {
    NOT_JSON("not a JSON object"),
    NO_STREAM("no known \"stream\""),
    NO_KEY("no key field"),
    NOT_SENT("refused by Kafka");

    final String label;

    Reason(String label) {
      this.label = label;
    }
  }

  static JsonLineRecord parse(byte[] line) {
    if (new String(line, StandardCharsets.UTF_8).isBlank()) {
      return new Blank();
    }
    JsonNode node;
    try {
      node = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      String m =
          e.getOriginalMessage() == null ? String.valueOf(e.getMessage()) : e.getOriginalMessage();
      return new Problem(Reason.NOT_JSON, "not JSON: " + m.lines().findFirst().orElse(m));
    } catch (IOException e) {
      return new Problem(Reason.NOT_JSON, "not JSON: " + e.getMessage());
    }
    if (node == null || !node.isObject()) {
      return new Problem(
          Reason.NOT_JSON,
          "not a JSON object but " + (node == null ? "nothing" : node.getNodeType()));
    }
    JsonNode streamNode = node.get("stream");
    if (streamNode == null || !streamNode.isTextual()) {
      return new Problem(
          Reason.NO_STREAM, "no \"stream\" field (string); expected one of " + streams());
    }
    EventStream stream = EventStream.byTopic(streamNode.textValue());
    if (stream == null) {
      return new Problem(
          Reason.NO_STREAM,
          "unknown stream '" + streamNode.textValue() + "'; expected one of " + streams());
    }
    JsonNode key = node.get(stream.keyField());
    if (key == null || !key.isTextual() || key.textValue().isEmpty()) {
      return new Problem(
          Reason.NO_KEY,
          stream.topic()
              + " needs the key field \""
              + stream.keyField()
              + "\" as a non-empty string"
              + (key == null ? "" : ", got " + key));
    }
    return new Send(stream, key.textValue(), line);
  }

  private static String streams() {
    return Arrays.stream(EventStream.values())
        .map(EventStream::topic)
        .collect(Collectors.joining(", "));
  }

  /** Receives the lines of a file, numbered from 1. */
  @FunctionalInterface
  interface LineSink {
    void accept(long number, byte[] line);
  }

  /**
   * Reads {@code file} as bytes, line by line ({@code \n}, a {@code \r} before it dropped), so a
   * line's bytes reach Kafka exactly as they are in the file.
   */
  static void forEachLine(Path file, LineSink sink) throws IOException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      forEachLine(in, sink);
    }
  }

  static void forEachLine(InputStream in, LineSink sink) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(1024);
    long number = 0;
    int b;
    boolean pending = false;
    while ((b = in.read()) >= 0) {
      if (b == '\n') {
        sink.accept(++number, withoutCarriageReturn(line.toByteArray()));
        line.reset();
        pending = false;
      } else {
        line.write(b);
        pending = true;
      }
    }
    if (pending) {
      sink.accept(++number, withoutCarriageReturn(line.toByteArray()));
    }
  }

  private static byte[] withoutCarriageReturn(byte[] line) {
    return line.length > 0 && line[line.length - 1] == '\r'
        ? Arrays.copyOf(line, line.length - 1)
        : line;
  }
}
