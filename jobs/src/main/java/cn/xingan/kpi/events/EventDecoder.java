package cn.xingan.kpi.events;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.io.Serializable;

/**
 * Turns one record's bytes into an {@link Envelope}: a typed, validated event, or a rejection with
 * the contract's reason code. One Jackson reader is built per decoder and reused; parsing limits
 * (size, nesting, string and number length) make hostile records cheap to reject.
 *
 * <p>The bytes are decoded as strict UTF-8 before Jackson sees them: Jackson's own byte parser
 * guesses UTF-16/32 from zero bytes and lets overlong forms, encoded surrogates and code points
 * above U+10FFFF through, while the contract says UTF-8.
 *
 * <p>The stream is given by the Kafka topic; for backfill files it is the record's {@code stream}
 * field ({@code stream == null}).
 */
public final class EventDecoder implements Serializable {
  private static final long serialVersionUID = 1L;

  private final long maxFutureMillis;
  private final int maxRecordBytes;
  private transient ObjectReader reader;
  private transient RepeatedValues repeated;

  /**
   * @param maxFutureMillis events stamped more than this ahead of the wall clock are rejected as
   *     {@code future}; negative turns the check off (backfill)
   * @param maxRecordBytes larger records are rejected as {@code too_large} without parsing
   */
  public EventDecoder(long maxFutureMillis, int maxRecordBytes) {
    this.maxFutureMillis = maxFutureMillis;
    this.maxRecordBytes = maxRecordBytes;
  }

  /** A decoder with the same limits, for another thread (this one builds its reader lazily). */
  public EventDecoder copy() {
    return new EventDecoder(maxFutureMillis, maxRecordBytes);
  }

  public Envelope decode(EventStream stream, Origin origin, long now) {
    byte[] bytes = origin.raw();
    if (bytes == null || bytes.length == 0) {
      return reject(stream, origin, now, "", Rejection.MALFORMED_JSON, "empty record");
    }
    if (bytes.length > maxRecordBytes) {
      return reject(
          stream,
          origin,
          now,
          "",
          Rejection.TOO_LARGE,
          "record of " + bytes.length + " bytes exceeds --max-record-bytes " + maxRecordBytes);
    }
    int start = hasByteOrderMark(bytes) ? 3 : 0;
    int bad = FastIso.firstInvalidUtf8(bytes, start);
    if (bad >= 0) {
      return reject(stream, origin, now, "", Rejection.MALFORMED_JSON, invalidUtf8(bytes, bad));
    }
    if (repeated == null) {
      repeated = new RepeatedValues();
    }
    Fields fields = PlainRecord.read(repeated, bytes, start, bytes.length - start);
    if (fields == null) {
      fields = FlatRecord.read(reader(), repeated, bytes, start, bytes.length - start);
    }
    if (fields == null) {
      JsonNode node;
      try {
        node = reader().readTree(bytes, start, bytes.length - start);
      } catch (IOException | RuntimeException e) {
        return reject(stream, origin, now, "", Rejection.MALFORMED_JSON, describe(e));
      }
      if (node == null || !node.isObject()) {
        return reject(
            stream,
            origin,
            now,
            "",
            Rejection.MALFORMED_JSON,
            "expected a JSON object, got " + (node == null ? "nothing" : node.getNodeType()));
      }
      fields = new Fields(node);
    }
    String eventId = "";
    try {
      eventId = fields.text("event_id", 1, 128);
      if (stream == null) {
        stream = streamOf(fields);
      }
      long eventTime = fields.instant("event_time");
      // eventTime - now cannot overflow (both are real times); now + a huge max-future can.
      if (maxFutureMillis >= 0 && eventTime - now > maxFutureMillis) {
        throw new InvalidEvent(
            Rejection.FUTURE,
            "event_time "
                + fields.get("event_time").textValue()
                + " is more than --max-future "
                + maxFutureMillis
                + " ms ahead of the wall clock");
      }
      return switch (stream) {
        case SERVICE_TRANSACTIONS ->
            Envelope.service(ServiceDecoding.decode(fields, eventId, eventTime), origin);
        case MARKET_STALL_COUNTS ->
            Envelope.market(MarketDecoding.decode(fields, eventId, eventTime), origin);
        case PROJECT_PROGRESS ->
            Envelope.project(ProjectDecoding.decode(fields, eventId, eventTime), origin);
        default ->
            throw new InvalidEvent(
                Rejection.UNKNOWN_STREAM,
                "stream '" + stream.topic() + "' is not processed by this version yet");
      };
    } catch (InvalidEvent e) {
      return reject(stream, origin, now, eventId, e.reason(), e.getMessage());
    }
  }

  private static EventStream streamOf(Fields fields) {
    String name = fields.text("stream");
    EventStream s = EventStream.byTopic(name);
    if (s == null) {
      throw new InvalidEvent(
          Rejection.UNKNOWN_STREAM,
          "stream '"
              + name
              + "' is not known; expected project-progress, service-transactions or"
              + " market-stall-counts");
    }
    return s;
  }

  private static Envelope reject(
      EventStream stream, Origin origin, long now, String eventId, String reason, String detail) {
    return Envelope.rejected(stream, origin.reject(now, eventId, reason, detail));
  }

  private static boolean hasByteOrderMark(byte[] bytes) {
    return bytes.length >= 3
        && bytes[0] == (byte) 0xEF
        && bytes[1] == (byte) 0xBB
        && bytes[2] == (byte) 0xBF;
  }

  /** Where the UTF-8 breaks, with the bytes of the broken sequence. */
  private static String invalidUtf8(byte[] bytes, int at) {
    StringBuilder seq = new StringBuilder();
    int end = Math.min(bytes.length, at + 1);
    while (end < bytes.length && end < at + 4 && (bytes[end] & 0xC0) == 0x80) {
      end++;
    }
    for (int i = at; i < end; i++) {
      seq.append(String.format(" %02X", bytes[i] & 0xFF));
    }
    String what = bytes[at] == 0 ? "a NUL byte" : "invalid UTF-8";
    return what + " at byte " + at + " (" + seq.toString().trim() + "); expected UTF-8 JSON";
  }

  /** Jackson's message without its dump of the record, plus where in the record it failed. */
  private static String describe(Exception e) {
    String message = e.getMessage();
    JsonLocation where = null;
    if (e instanceof JsonProcessingException jpe) {
      message = jpe.getOriginalMessage();
      where = jpe.getLocation();
    }
    if (message == null) {
      message = "not valid JSON";
    }
    int nl = message.indexOf('\n');
    String line = nl < 0 ? message : message.substring(0, nl);
    int tail = line.indexOf(DUPLICATE_TAIL);
    if (line.startsWith("Duplicate field '") && tail > 0) {
      line = line.substring(0, tail); // "Duplicate field 'county'", without Jackson's feature name
    }
    if (line.length() > 300) {
      line = line.substring(0, 300) + "...";
    }
    if (where != null && where.getCharOffset() >= 0) {
      line += " (at character " + (where.getCharOffset() + 1) + ")";
    }
    return line;
  }

  /** What Jackson appends to a duplicate key's message when the tree finds it. */
  private static final String DUPLICATE_TAIL = " for `ObjectNode`";

  /** The configured reader (package-private for the fast path's test). */
  ObjectReader reader() {
    if (reader == null) {
      JsonFactory factory =
          JsonFactory.builder()
              .streamReadConstraints(
                  StreamReadConstraints.builder()
                      .maxNestingDepth(64)
                      .maxNumberLength(64)
                      .maxStringLength(maxRecordBytes)
                      .maxDocumentLength(maxRecordBytes)
                      .build())
              .build();
      reader =
          new ObjectMapper(factory)
              .setNodeFactory(RecordNodes.INSTANCE)
              // Duplicate keys are found as the tree is built (the map already knows), not by
              // the parser's STRICT_DUPLICATE_DETECTION, which keeps a second set of names per
              // object: 139 of the source thread's 1162 JFR samples in a backfill.
              .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
              .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
              // Money must be exact: 9999999999999999.99 as a double is 1.0E16.
              .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
              .disable(JsonParser.Feature.AUTO_CLOSE_SOURCE)
              .reader();
    }
    return reader;
  }
}
