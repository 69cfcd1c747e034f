package cn.xingan.kpi.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code service-transactions} rules of CONTRACT.md section 1 and the rejection reasons, record
 * by record: what is accepted, what is rejected with which reason, and that hostile bytes are
 * rejected without an exception escaping. Records are written here as JSON text, so that numbers
 * like {@code 5.0} and byte-level damage reach the decoder exactly as a producer would send them.
 */
class EventDecoderTest {
  /** The wall clock of every decode here: 2026-07-02 08:00 in Shanghai. */
  private static final long NOW = Instant.parse("2026-07-02T00:00:00Z").toEpochMilli();

  private static final long DAY = Duration.ofDays(1).toMillis();
  private static final int MAX_RECORD_BYTES = 1 << 20;
  private static final EventDecoder DECODER = new EventDecoder(DAY, MAX_RECORD_BYTES);
  private static final Path EXAMPLES = Path.of("..", "schemas", "examples");
  private static final ObjectMapper JSON = new ObjectMapper();

  // ---- records as ordered maps of raw JSON values ----

  private static String q(String s) {
    return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + "\"";
  }

  /** An accepted transaction: 2026-06-29 10:15 in Shanghai, 5 days promised against 30. */
  private static Map<String, String> accepted() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("event_id", q("st-000001"));
    m.put("event_time", q("2026-06-29T10:15:00+08:00"));
    m.put("transaction_id", q("NR-20260629-0042"));
    m.put("service_code", q("mortgage-filing"));
    m.put("service_name", q("不动产抵押登记 Mortgage filing"));
    m.put("department", q("natural-resources"));
    m.put("county", q("ulanhot"));
    m.put("status", q("accepted"));
    m.put("channel", q("online"));
    m.put("statutory_days", "30");
    m.put("promised_days", "5");
    return m;
  }

  /** The same transaction completed 2026-07-01 16:40 in Shanghai, no visit, rated 5. */
  private static Map<String, String> completed() {
    Map<String, String> m = accepted();
    m.put("event_id", q("st-000002"));
    m.put("event_time", q("2026-07-01T16:40:00+08:00"));
    m.put("status", q("completed"));
    m.put("accepted_at", q("2026-06-29T10:15:00+08:00"));
    m.put("visits", "0");
    m.put("satisfaction", "5");
    return m;
  }

  /** An accepted transaction in ASCII only, so that characters and bytes count the same. */
  private static Map<String, String> ascii() {
    return with(accepted(), "service_name", q("Mortgage filing"));
  }

  private static Map<String, String> rejectedStatus() {
    Map<String, String> m = accepted();
    m.put("event_id", q("st-000003"));
    m.put("status", q("rejected"));
    return m;
  }

  private static Map<String, String> with(Map<String, String> m, String field, String rawJson) {
    Map<String, String> copy = new LinkedHashMap<>(m);
    copy.put(field, rawJson);
    return copy;
  }

  private static Map<String, String> without(Map<String, String> m, String field) {
    Map<String, String> copy = new LinkedHashMap<>(m);
    copy.remove(field);
    return copy;
  }

  private static String json(Map<String, String> m) {
    StringBuilder b = new StringBuilder("{");
    m.forEach((k, v) -> b.append(b.length() > 1 ? "," : "").append(q(k)).append(':').append(v));
    return b.append('}').toString();
  }

  private static Origin origin(byte[] bytes) {
    return new Origin("service-transactions", 3, 42L, bytes);
  }

  private static Envelope decode(Map<String, String> m) {
    return decode(json(m));
  }

  private static Envelope decode(String text) {
    return decode(text.getBytes(StandardCharsets.UTF_8));
  }

  private static Envelope decode(byte[] bytes) {
    return DECODER.decode(EventStream.SERVICE_TRANSACTIONS, origin(bytes), NOW);
  }

  /** The backfill form: the stream is named by the line's own {@code stream} field. */
  private static Envelope decodeLine(String text) {
    return DECODER.decode(
        null, new Origin("in.jsonl", 0, 7L, text.getBytes(StandardCharsets.UTF_8)), NOW);
  }

  private static ServiceEvent accept(Envelope e) {
    assertThat(e.isRejected())
        .as("rejected: %s", e.isRejected() ? e.rejection().detail() : "")
        .isFalse();
    assertThat(e.stream()).isEqualTo(EventStream.SERVICE_TRANSACTIONS);
    return e.service();
  }

  private static Rejection reject(Envelope e, String reason) {
    assertThat(e.isRejected()).as("accepted: %s", e.service()).isTrue();
    assertThat(e.service()).isNull();
    assertThat(e.rejection().reason()).as("detail: %s", e.rejection().detail()).isEqualTo(reason);
    return e.rejection();
  }

  private static long at(String utcInstant) {
    return Instant.parse(utcInstant).toEpochMilli();
  }

  // ---- well-formed events ----

  @Nested
  class Valid {
    @Test
    void acceptedTransactionIsDecodedField() {
      ServiceEvent e = accept(decode(accepted()));
      assertThat(e)
          .isEqualTo(
              new ServiceEvent(
                  "st-000001",
                  at("2026-06-29T02:15:00Z"),
                  "NR-20260629-0042",
                  "mortgage-filing",
                  "不动产抵押登记 Mortgage filing",
                  "natural-resources",
                  "ulanhot",
                  ServiceStatus.ACCEPTED,
                  "online",
                  30,
                  5,
                  ServiceEvent.NONE,
                  -1,
                  0));
    }

    @Test
    void completedTransactionCarriesAcceptedAtVisitsAndRating() {
      ServiceEvent e = accept(decode(completed()));
      assertThat(e.status()).isEqualTo(ServiceStatus.COMPLETED);
      assertThat(e.eventTime()).isEqualTo(at("2026-07-01T08:40:00Z"));
      assertThat(e.acceptedAt()).isEqualTo(at("2026-06-29T02:15:00Z"));
      assertThat(e.visits()).isZero();
      assertThat(e.satisfaction()).isEqualTo(5);
      // 2 days 6 h 25 min
      assertThat(e.processingMillis()).isEqualTo(Duration.parse("PT54H25M").toMillis());
    }

    @Test
    void rejectedTransactionNeedsNoCompletionFields() {
      ServiceEvent e = accept(decode(rejectedStatus()));
      assertThat(e.status()).isEqualTo(ServiceStatus.REJECTED);
      assertThat(e.acceptedAt()).isEqualTo(ServiceEvent.NONE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"online", "window", "one_stop_police", "mail"})
    void everyChannel(String channel) {
      assertThat(accept(decode(with(accepted(), "channel", q(channel)))).channel())
          .isEqualTo(channel);
    }

    @Test
    void satisfactionIsOptionalAndNullIsAbsent() {
      assertThat(accept(decode(without(completed(), "satisfaction"))).satisfaction()).isZero();
      assertThat(accept(decode(with(completed(), "satisfaction", "null"))).satisfaction()).isZero();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5})
    void satisfactionOneToFive(int rating) {
      assertThat(
              accept(decode(with(completed(), "satisfaction", Integer.toString(rating))))
                  .satisfaction())
          .isEqualTo(rating);
    }

    @Test
    void wholeNumbersWrittenWithAFractionAreIntegers() {
      Map<String, String> m = with(completed(), "statutory_days", "30.0");
      m.put("promised_days", "5.00");
      m.put("visits", "2.0");
      m.put("satisfaction", "4.0");
      ServiceEvent e = accept(decode(m));
      assertThat(e.statutoryDays()).isEqualTo(30);
      assertThat(e.promisedDays()).isEqualTo(5);
      assertThat(e.visits()).isEqualTo(2);
      assertThat(e.satisfaction()).isEqualTo(4);
      assertThat(accept(decode(with(accepted(), "statutory_days", "3e1"))).statutoryDays())
          .isEqualTo(30);
    }

    @Test
    void promisedMayEqualStatutory() {
      Map<String, String> m = with(accepted(), "promised_days", "30");
      assertThat(accept(decode(m)).promisedDays()).isEqualTo(30);
      assertThat(
              accept(decode(with(with(accepted(), "statutory_days", "1"), "promised_days", "1"))))
          .isNotNull();
    }

    @Test
    void acceptedAtMayEqualEventTimeAlsoInAnotherOffset() {
      // 2026-07-01T16:40:00+08:00 is 08:40Z
      ServiceEvent e = accept(decode(with(completed(), "accepted_at", q("2026-07-01T08:40:00Z"))));
      assertThat(e.processingMillis()).isZero();
      assertThat(
              accept(decode(with(completed(), "accepted_at", q("2026-07-01T03:40:00-05:00"))))
                  .processingMillis())
          .isZero();
    }

    @Test
    void unknownFieldsAreIgnored() {
      Map<String, String> m =
          with(accepted(), "extra", "{\"deep\":[1,2.5,{\"x\":null}],\"s\":\"t\"}");
      m.put("_note", q("anything"));
      m.put("correction", "true");
      assertThat(accept(decode(m))).isEqualTo(accept(decode(accepted())));
    }

    @Test
    void fieldsOfCompletedTransactionsAreIgnoredOnOtherStatuses() {
      // The contract's "when" column: accepted_at, visits and satisfaction mean nothing here.
      Map<String, String> m = with(accepted(), "accepted_at", q("yesterday"));
      m.put("visits", "-1");
      m.put("satisfaction", "9");
      ServiceEvent e = accept(decode(m));
      assertThat(e.acceptedAt()).isEqualTo(ServiceEvent.NONE);
      assertThat(e.visits()).isEqualTo(-1);
      assertThat(e.satisfaction()).isZero();
    }

    @Test
    void aStreamFieldOnAKafkaRecordIsIgnored() {
      assertThat(accept(decode(with(accepted(), "stream", q("market-stall-counts")))))
          .isEqualTo(accept(decode(accepted())));
    }

    @Test
    void idsAndNamesAreAnyNonEmptyString() {
      Map<String, String> m = with(accepted(), "transaction_id", q("x".repeat(300)));
      m.put("service_name", q("名".repeat(600)));
      ServiceEvent e = accept(decode(m));
      assertThat(e.transactionId()).hasSize(300);
      assertThat(e.serviceName()).hasSize(600);
      assertThat(accept(decode(with(accepted(), "transaction_id", q(" ")))).transactionId())
          .isEqualTo(" ");
    }

    @Test
    void aByteOrderMarkBeforeTheRecordIsSkipped() {
      byte[] record = json(accepted()).getBytes(StandardCharsets.UTF_8);
      byte[] withBom = new byte[record.length + 3];
      withBom[0] = (byte) 0xEF;
      withBom[1] = (byte) 0xBB;
      withBom[2] = (byte) 0xBF;
      System.arraycopy(record, 0, withBom, 3, record.length);
      assertThat(accept(decode(withBom))).isEqualTo(accept(decode(accepted())));
    }
  }

  // ---- required fields ----

  static Stream<Arguments> alwaysRequired() {
    List<Arguments> cases = new ArrayList<>();
    for (String status : List.of("accepted", "completed", "rejected")) {
      for (String field :
          List.of(
              "event_id",
              "event_time",
              "transaction_id",
              "service_code",
              "service_name",
              "department",
              "county",
              "status",
              "channel",
              "statutory_days",
              "promised_days")) {
        cases.add(Arguments.of(status, field));
      }
    }
    return cases.stream();
  }

  private static Map<String, String> ofStatus(String status) {
    return switch (status) {
      case "accepted" -> accepted();
      case "completed" -> completed();
      default -> rejectedStatus();
    };
  }

  @ParameterizedTest(name = "{0} without {1}")
  @MethodSource("alwaysRequired")
  void absentRequiredFieldIsMissing(String status, String field) {
    Rejection r = reject(decode(without(ofStatus(status), field)), Rejection.MISSING_FIELD);
    assertThat(r.detail()).contains("'" + field + "'");
  }

  @ParameterizedTest(name = "{0} with {1} null")
  @MethodSource("alwaysRequired")
  void nullRequiredFieldIsMissing(String status, String field) {
    Rejection r = reject(decode(with(ofStatus(status), field, "null")), Rejection.MISSING_FIELD);
    assertThat(r.detail()).contains("'" + field + "'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"accepted_at", "visits"})
  void completedNeedsAcceptedAtAndVisits(String field) {
    reject(decode(without(completed(), field)), Rejection.MISSING_FIELD);
    Rejection r = reject(decode(with(completed(), field, "null")), Rejection.MISSING_FIELD);
    assertThat(r.detail()).contains(field);
  }

  @Test
  void theEventIdOfARejectedRecordIsKeptWhenValid() {
    assertThat(reject(decode(without(accepted(), "county")), Rejection.MISSING_FIELD).eventId())
        .isEqualTo("st-000001");
    assertThat(reject(decode(without(accepted(), "event_id")), Rejection.MISSING_FIELD).eventId())
        .isEmpty();
  }

  // ---- invalid values ----

  static Stream<Arguments> invalidValues() {
    return Stream.of(
        // enums, case-sensitive
        Arguments.of("status", q("pending")),
        Arguments.of("status", q("Accepted")),
        Arguments.of("status", "1"),
        Arguments.of("channel", q("phone")),
        Arguments.of("channel", q("ONLINE")),
        Arguments.of("channel", q("one-stop-police")),
        Arguments.of("channel", "[\"online\"]"),
        // codes: lower-case kebab-case
        Arguments.of("county", q("Horqin_Right_Front")),
        Arguments.of("county", q("ULANHOT")),
        Arguments.of("county", q("horqin--right")),
        Arguments.of("county", q("-ulanhot")),
        Arguments.of("county", q("ulanhot-")),
        Arguments.of("county", q("ulan hot")),
        Arguments.of("county", q("乌兰浩特")),
        Arguments.of("county", q("")),
        Arguments.of("county", "7"),
        Arguments.of("department", q("Natural Resources")),
        Arguments.of("department", q("natural_resources")),
        Arguments.of("service_code", q("Mortgage-Filing")),
        Arguments.of("service_code", q("mortgage filing")),
        // strings
        Arguments.of("transaction_id", q("")),
        Arguments.of("transaction_id", "42"),
        Arguments.of("service_name", q("")),
        Arguments.of("service_name", "{}"),
        // integers >= 1
        Arguments.of("statutory_days", "0"),
        Arguments.of("statutory_days", "-1"),
        Arguments.of("statutory_days", q("30")),
        Arguments.of("statutory_days", "30.5"),
        Arguments.of("statutory_days", "true"),
        Arguments.of("statutory_days", "3000000000"),
        Arguments.of("promised_days", "0"),
        Arguments.of("promised_days", "2.5"),
        Arguments.of("promised_days", q("5")),
        // event_id: a string of 1 to 128 characters
        Arguments.of("event_id", q("")),
        Arguments.of("event_id", q("x".repeat(129))),
        Arguments.of("event_id", q("😀".repeat(129))),
        Arguments.of("event_id", "42"),
        // event_time: ISO-8601 with an offset
        Arguments.of("event_time", q("2026-06-30T09:30:00")),
        Arguments.of("event_time", q("2026-06-30 09:30:00+08:00")),
        Arguments.of("event_time", q("2026-06-30")),
        Arguments.of("event_time", "1782783000000"),
        Arguments.of("event_time", q("2026-02-30T09:30:00+08:00")),
        Arguments.of("event_time", q("2026-06-30T24:00:00+08:00")),
        Arguments.of("event_time", q("2026-06-30T09:30:00+18:30")),
        Arguments.of("event_time", q("2026-06-30T09:30:00.1234567891+08:00")),
        Arguments.of("event_time", q("1969-12-31T23:59:59Z")),
        // forms the schemas' pattern (Z or ±hh:mm, upper-case T and Z) does not take
        Arguments.of("event_time", q("2026-06-30T09:30:00+08")),
        Arguments.of("event_time", q("2026-06-30T09:30:00+0800")),
        Arguments.of("event_time", q("2026-06-30T09:30:00+08:00:00")),
        Arguments.of("event_time", q("2026-06-30t09:30:00+08:00")),
        Arguments.of("event_time", q("2026-06-30T09:30:00z")),
        Arguments.of("event_time", q("2026-06-30T09:30:00.+08:00")),
        Arguments.of("event_time", q("2026-06-30T09:30:00+08:00[Asia/Shanghai]")));
  }

  @ParameterizedTest(name = "{0} = {1}")
  @MethodSource("invalidValues")
  void invalidValueNamesTheFieldAndTheValue(String field, String rawJson) {
    Rejection r = reject(decode(with(accepted(), field, rawJson)), Rejection.INVALID_VALUE);
    assertThat(r.detail()).contains("'" + field + "'");
    String shown = rawJson.length() > 60 ? rawJson.substring(0, 60) : rawJson;
    assertThat(r.detail()).contains(shown);
    assertThat(r.raw()).isEqualTo(json(with(accepted(), field, rawJson)));
  }

  static Stream<Arguments> invalidCompletedValues() {
    return Stream.of(
        Arguments.of("visits", "-1"),
        Arguments.of("visits", "1.5"),
        Arguments.of("visits", q("0")),
        Arguments.of("satisfaction", "0"),
        Arguments.of("satisfaction", "6"),
        Arguments.of("satisfaction", "4.5"),
        Arguments.of("satisfaction", q("5")),
        Arguments.of("accepted_at", q("2026-06-29 10:15:00")),
        Arguments.of("accepted_at", q("2026-06-29T10:15:00")),
        Arguments.of("accepted_at", "1782699300000"));
  }

  @ParameterizedTest(name = "completed with {0} = {1}")
  @MethodSource("invalidCompletedValues")
  void invalidCompletedValueNamesTheFieldAndTheValue(String field, String rawJson) {
    Rejection r = reject(decode(with(completed(), field, rawJson)), Rejection.INVALID_VALUE);
    assertThat(r.detail()).contains("'" + field + "'").contains(rawJson);
  }

  @Test
  void numbersTooLargeForADoubleAreNoWholeNumbers() {
    Rejection r =
        reject(decode(with(accepted(), "statutory_days", "1e400")), Rejection.INVALID_VALUE);
    assertThat(r.detail()).contains("'statutory_days'");
  }

  @Test
  void promisedAboveStatutoryIsInvalidAndNamesBoth() {
    Rejection r =
        reject(
            decode(with(with(accepted(), "statutory_days", "16"), "promised_days", "17")),
            Rejection.INVALID_VALUE);
    assertThat(r.detail()).contains("promised_days 17").contains("statutory_days 16");
  }

  @Test
  void acceptedAfterEventTimeIsInvalidAndNamesBoth() {
    // one second after 2026-07-01T16:40:00+08:00
    Rejection r =
        reject(
            decode(with(completed(), "accepted_at", q("2026-07-01T08:40:01Z"))),
            Rejection.INVALID_VALUE);
    assertThat(r.detail())
        .contains("accepted_at")
        .contains("2026-07-01T08:40:01Z")
        .contains("event_time")
        .contains("2026-07-01T16:40:00+08:00");
  }

  @Test
  void eventIdOf128CharactersIsValidCountingCodePoints() {
    assertThat(accept(decode(with(accepted(), "event_id", q("x".repeat(128))))).eventId())
        .hasSize(128);
    // 128 characters outside the BMP are 256 UTF-16 units; JSON Schema counts characters.
    assertThat(accept(decode(with(accepted(), "event_id", q("😀".repeat(128))))).eventId())
        .hasSize(256);
    assertThat(accept(decode(with(accepted(), "event_id", q("1")))).eventId()).isEqualTo("1");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2026-06-30T09:30:00+08:00",
        "2026-06-30T09:30+08:00",
        "2026-06-30T01:30:00Z",
        "2026-06-30T01:30:00.000000001Z",
        "2026-06-29T20:30:00.5-05:00",
        "2026-06-30T01:30:00-00:00",
        "2024-02-29T12:00:00+08:00",
        "2026-06-30T15:30:00+14:00"
      })
  void eventTimeWithOffset(String text) {
    long expected = java.time.OffsetDateTime.parse(text).toInstant().toEpochMilli();
    assertThat(accept(decode(with(accepted(), "event_time", q(text)))).eventTime())
        .isEqualTo(expected);
  }

  @Test
  void eventTimeIsTheInstantWhateverTheOffset() {
    long a =
        accept(decode(with(accepted(), "event_time", q("2026-06-30T09:30:00+08:00")))).eventTime();
    long b = accept(decode(with(accepted(), "event_time", q("2026-06-30T01:30:00Z")))).eventTime();
    assertThat(a).isEqualTo(b).isEqualTo(at("2026-06-30T01:30:00Z"));
  }

  // ---- future ----

  @Test
  void eventsMoreThanMaxFutureAheadAreFuture() {
    // NOW is 2026-07-02T00:00:00Z; max-future is one day.
    assertThat(
            accept(decode(with(accepted(), "event_time", q("2026-07-03T00:00:00Z")))).eventTime())
        .isEqualTo(NOW + DAY);
    Rejection r =
        reject(
            decode(with(accepted(), "event_time", q("2026-07-03T08:00:00.001+08:00"))),
            Rejection.FUTURE);
    assertThat(r.detail()).contains("event_time").contains("2026-07-03T08:00:00.001+08:00");
    assertThat(r.eventId()).isEqualTo("st-000001");
  }

  @Test
  void aNegativeMaxFutureTurnsTheCheckOff() {
    EventDecoder backfill = new EventDecoder(-1, MAX_RECORD_BYTES);
    Envelope e =
        backfill.decode(
            EventStream.SERVICE_TRANSACTIONS,
            origin(
                json(with(accepted(), "event_time", q("2099-12-31T00:00:00Z")))
                    .getBytes(StandardCharsets.UTF_8)),
            NOW);
    assertThat(accept(e).eventTime()).isEqualTo(at("2099-12-31T00:00:00Z"));
  }

  @Test
  void aHugeMaxFutureDoesNotOverflow() {
    EventDecoder lenient = new EventDecoder(Long.MAX_VALUE, MAX_RECORD_BYTES);
    assertThat(
            lenient
                .decode(
                    EventStream.SERVICE_TRANSACTIONS,
                    origin(json(accepted()).getBytes(StandardCharsets.UTF_8)),
                    NOW)
                .isRejected())
        .isFalse();
  }

  // ---- backfill lines: the stream field ----

  @Nested
  class BackfillStream {
    @Test
    void aServiceLineIsDecodedAsService() {
      Envelope e = decodeLine(json(with(accepted(), "stream", q("service-transactions"))));
      assertThat(accept(e)).isEqualTo(accept(decode(accepted())));
    }

    @ParameterizedTest
    @ValueSource(strings = {"projects", "Service-Transactions", "service_transactions", "x"})
    void anUnknownStreamIsUnknownStream(String stream) {
      Rejection r =
          reject(decodeLine(json(with(accepted(), "stream", q(stream)))), Rejection.UNKNOWN_STREAM);
      assertThat(r.detail()).contains("'" + stream + "'");
      assertThat(r.eventId()).isEqualTo("st-000001");
      assertThat(r.source()).isEqualTo("in.jsonl");
      assertThat(r.offset()).isEqualTo(7L);
    }

    @Test
    void aLineWithoutStreamIsMissingStream() {
      reject(decodeLine(json(accepted())), Rejection.MISSING_FIELD);
      Rejection r =
          reject(decodeLine(json(with(accepted(), "stream", "null"))), Rejection.MISSING_FIELD);
      assertThat(r.detail()).contains("'stream'");
    }

    @Test
    void aStreamThatIsNoStringIsInvalid() {
      Rejection r =
          reject(decodeLine(json(with(accepted(), "stream", "3"))), Rejection.INVALID_VALUE);
      assertThat(r.detail()).contains("'stream'").contains("3");
    }
  }

  // ---- malformed and hostile records ----

  static Stream<Arguments> malformed() {
    String good = json(accepted());
    return Stream.of(
        Arguments.of("empty", ""),
        Arguments.of("only whitespace", " \t "),
        Arguments.of("null", "null"),
        Arguments.of("a number", "42"),
        Arguments.of("a string", q("event")),
        Arguments.of("a JSON array", "[" + good + "]"),
        Arguments.of("truncated", good.substring(0, good.length() / 2)),
        Arguments.of("truncated by one", good.substring(0, good.length() - 1)),
        Arguments.of("trailing garbage", good + "x"),
        Arguments.of("a second object", good + " {}"),
        Arguments.of("trailing comma", good.substring(0, good.length() - 1) + ",}"),
        Arguments.of("a comment", good + " // note"),
        Arguments.of("single quotes", good.replace('"', '\'')),
        Arguments.of("NaN", json(with(accepted(), "statutory_days", "NaN"))),
        Arguments.of(
            "duplicate key", good.substring(0, good.length() - 1) + ",\"county\":\"arxan\"}"),
        Arguments.of("duplicate event_id", "{\"event_id\":\"a\"," + good.substring(1)),
        Arguments.of(
            "duplicate key in an ignored field",
            good.substring(0, good.length() - 1) + ",\"x\":{\"a\":1,\"a\":2}}"),
        Arguments.of("nesting 1000 deep", "[".repeat(1000) + "]".repeat(1000)),
        Arguments.of(
            "nesting 1000 deep in a field",
            good.substring(0, good.length() - 1)
                + ",\"x\":"
                + "{\"a\":".repeat(1000)
                + "1"
                + "}".repeat(1000)
                + "}"),
        Arguments.of("nesting 1000 deep, unclosed", "{\"x\":" + "[".repeat(1000)),
        Arguments.of(
            "a raw control character", json(with(accepted(), "service_name", "\"a\u0001b\""))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void malformedRecordsAreMalformedJson(String what, String text) {
    Rejection r = reject(decode(text), Rejection.MALFORMED_JSON);
    assertThat(r.detail()).isNotBlank().doesNotContain("\n");
    assertThat(r.eventId()).isEmpty();
  }

  @Test
  void duplicateKeyDetailNamesTheKey() {
    String good = json(accepted());
    Rejection r =
        reject(
            decode(good.substring(0, good.length() - 1) + ",\"county\":\"arxan\"}"),
            Rejection.MALFORMED_JSON);
    assertThat(r.detail()).startsWith("Duplicate field 'county'").doesNotContain("Feature");
  }

  @Test
  void aDuplicateKeyInANestedObjectIsNamedToo() {
    String good = json(accepted());
    Rejection r =
        reject(
            decode(good.substring(0, good.length() - 1) + ",\"x\":{\"a\":1,\"a\":2}}"),
            Rejection.MALFORMED_JSON);
    assertThat(r.detail()).startsWith("Duplicate field 'a'");
  }

  static Stream<Arguments> badUtf8() {
    return Stream.of(
        Arguments.of("0xFF", new byte[] {(byte) 0xFF}),
        Arguments.of("lone continuation byte", new byte[] {(byte) 0x80}),
        Arguments.of("truncated sequence", new byte[] {(byte) 0xE4, (byte) 0xB8}),
        Arguments.of("overlong 'A'", new byte[] {(byte) 0xC1, (byte) 0x81}),
        Arguments.of("overlong '/'", new byte[] {(byte) 0xE0, (byte) 0x80, (byte) 0xAF}),
        Arguments.of("encoded surrogate", new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}),
        Arguments.of(
            "above U+10FFFF", new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}));
  }

  /** The service name of an accepted record with these bytes spliced into it. */
  private static byte[] withBytesInName(byte[] bad) {
    String[] parts = json(with(accepted(), "service_name", q("@"))).split("@");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(parts[0].getBytes(StandardCharsets.UTF_8));
    out.writeBytes(bad);
    out.writeBytes(parts[1].getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badUtf8")
  void invalidUtf8IsMalformedJson(String what, byte[] bad) {
    byte[] record = withBytesInName(bad);
    Rejection r = reject(decode(record), Rejection.MALFORMED_JSON);
    assertThat(r.detail()).contains("UTF-8").contains(String.format("%02X", bad[0] & 0xFF));
    assertThat(r.raw()).contains("\uFFFD").contains("\"county\":\"ulanhot\"");
  }

  @Test
  void invalidUtf8DetailGivesTheByteOffset() {
    byte[] record = withBytesInName(new byte[] {(byte) 0xFF});
    int at = json(accepted()).indexOf("\"service_name\":\"") + "\"service_name\":\"".length();
    Rejection r = reject(decode(record), Rejection.MALFORMED_JSON);
    assertThat(r.detail()).contains("byte " + at);
  }

  @Test
  void otherEncodingsThanUtf8AreMalformed() {
    String good = json(accepted());
    reject(decode(good.getBytes(StandardCharsets.UTF_16LE)), Rejection.MALFORMED_JSON);
    reject(decode(good.getBytes(StandardCharsets.UTF_16BE)), Rejection.MALFORMED_JSON);
    reject(decode(good.getBytes(StandardCharsets.UTF_16)), Rejection.MALFORMED_JSON);
  }

  @Test
  void aRecordAboveTheLimitIsTooLargeWithoutParsing() {
    String good = json(ascii());
    // 10 MB: an otherwise valid record with a huge ignored field
    String huge =
        good.substring(0, good.length() - 1) + ",\"pad\":\"" + "x".repeat(10_000_000) + "\"}";
    Rejection r = reject(decode(huge), Rejection.TOO_LARGE);
    assertThat(r.detail()).contains(Integer.toString(huge.length())).contains("1048576");
    assertThat(r.raw().length()).isEqualTo(Rejection.RAW_LIMIT_BYTES);
    assertThat(huge.startsWith(r.raw())).as("raw is the record's head").isTrue();
  }

  @Test
  void theLimitIsInclusive() {
    String good = json(ascii());
    String head = good.substring(0, good.length() - 1) + ",\"pad\":\"";
    String tail = "\"}";
    int padding = MAX_RECORD_BYTES - head.length() - tail.length();
    String exact = head + "x".repeat(padding) + tail;
    assertThat(exact.getBytes(StandardCharsets.UTF_8).length).isEqualTo(MAX_RECORD_BYTES);
    assertThat(accept(decode(exact))).isEqualTo(accept(decode(ascii())));
    reject(decode(head + "x".repeat(padding + 1) + tail), Rejection.TOO_LARGE);
  }

  @Test
  void aHugeRecordWithinAHigherLimitIsParsed() {
    EventDecoder big = new EventDecoder(DAY, 16 << 20);
    String good = json(accepted());
    String huge =
        good.substring(0, good.length() - 1) + ",\"pad\":\"" + "x".repeat(10_000_000) + "\"}";
    Envelope e =
        big.decode(
            EventStream.SERVICE_TRANSACTIONS, origin(huge.getBytes(StandardCharsets.UTF_8)), NOW);
    assertThat(accept(e).eventId()).isEqualTo("st-000001");
  }

  // ---- what a rejection carries ----

  @Test
  void aRejectionCarriesTheOriginAndTheWholeSmallRecord() {
    String text = json(with(accepted(), "channel", q("phone")));
    Rejection r = reject(decode(text), Rejection.INVALID_VALUE);
    assertThat(r.receivedAt()).isEqualTo(NOW);
    assertThat(r.source()).isEqualTo("service-transactions");
    assertThat(r.partition()).isEqualTo(3);
    assertThat(r.offset()).isEqualTo(42L);
    assertThat(r.eventId()).isEqualTo("st-000001");
    assertThat(r.raw()).isEqualTo(text);
  }

  @Test
  void rawIsCutAt64KiB() {
    String good = json(with(ascii(), "channel", q("phone")));
    String big = good.substring(0, good.length() - 1) + ",\"pad\":\"" + "y".repeat(100_000) + "\"}";
    Rejection r = reject(decode(big), Rejection.INVALID_VALUE);
    assertThat(r.raw().length()).isEqualTo(64 * 1024);
    assertThat(big.startsWith(r.raw())).as("raw is the record's head").isTrue();
  }

  @Test
  void rawIsCutBeforeACharacterSplitByTheLimit() {
    // After the ASCII head come 3-byte characters; try heads of three lengths so that byte 65536
    // falls on each position within a character once.
    for (String pad : List.of("", "a", "ab")) {
      String good = json(with(with(ascii(), "channel", q("phone")), "p", q(pad)));
      String big =
          good.substring(0, good.length() - 1) + ",\"pad\":\"" + "名".repeat(40_000) + "\"}";
      Rejection r = reject(decode(big), Rejection.INVALID_VALUE);
      int rawBytes = r.raw().getBytes(StandardCharsets.UTF_8).length;
      assertThat(rawBytes).isBetween(64 * 1024 - 2, 64 * 1024);
      assertThat(big.startsWith(r.raw())).as("raw is the record's head").isTrue();
      assertThat(r.raw().indexOf('\uFFFD')).isEqualTo(-1);
    }
  }

  // ---- the schema examples ----

  record Example(String file, int line, ObjectNode event, String expect) {
    @Override
    public String toString() {
      return file + ":" + line + " " + event.path("_why").asText(event.path("event_id").asText());
    }

    boolean isService() {
      return "service-transactions".equals(event.path("stream").asText(null));
    }

    boolean isMarket() {
      return "market-stall-counts".equals(event.path("stream").asText(null));
    }

    /** The record without the example's annotations. */
    ObjectNode record() {
      ObjectNode copy = event.deepCopy();
      copy.remove(List.of("_expect", "_why", "_note"));
      return copy;
    }
  }

  static List<Example> examples() throws IOException {
    List<Example> all = new ArrayList<>();
    for (String file : List.of("valid.jsonl", "invalid.jsonl", "decoder-only-invalid.jsonl")) {
      List<String> lines = Files.readAllLines(EXAMPLES.resolve(file), StandardCharsets.UTF_8);
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).isBlank()) {
          continue;
        }
        ObjectNode event = (ObjectNode) JSON.readTree(lines.get(i));
        String expect = file.equals("valid.jsonl") ? null : event.get("_expect").asText();
        all.add(new Example(file, i + 1, event, expect));
      }
    }
    return all;
  }

  static Stream<Example> serviceExamples() throws IOException {
    return examples().stream().filter(Example::isService);
  }

  static Stream<Example> otherExamples() throws IOException {
    // project-progress examples: ProjectDecodingTest.
    return examples().stream()
        .filter(e -> !e.isService() && !e.isMarket())
        .filter(e -> !"project-progress".equals(e.event().path("stream").asText(null)));
  }

  @Test
  void theExamplesHoldServiceLinesOfEveryKind() throws IOException {
    List<Example> service = serviceExamples().toList();
    assertThat(service.stream().filter(e -> e.expect() == null)).hasSizeGreaterThanOrEqualTo(4);
    assertThat(service.stream().filter(e -> e.expect() != null)).hasSizeGreaterThanOrEqualTo(12);
  }

  private static void assertAgrees(Example example, Envelope e) {
    if (example.expect() == null) {
      assertThat(e.isRejected())
          .as("%s rejected: %s", example, e.isRejected() ? e.rejection().detail() : "")
          .isFalse();
      assertThat(e.service().eventId()).isEqualTo(example.event().get("event_id").asText());
    } else {
      assertThat(e.isRejected()).as("%s accepted", example).isTrue();
      assertThat(e.rejection().reason())
          .as("%s: %s", example, e.rejection().detail())
          .isEqualTo(example.expect());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("serviceExamples")
  void serviceExamplesAsBackfillLines(Example example) throws IOException {
    assertAgrees(example, decodeLine(JSON.writeValueAsString(example.record())));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("serviceExamples")
  void serviceExamplesAsKafkaRecords(Example example) throws IOException {
    ObjectNode record = example.record();
    record.remove("stream");
    assertAgrees(example, decode(JSON.writeValueAsString(record)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("serviceExamples")
  void serviceExamplesWithTheirAnnotationsLeftIn(Example example) throws IOException {
    // _expect, _why and _note are unknown fields, and unknown fields are ignored.
    assertAgrees(example, decodeLine(JSON.writeValueAsString(example.event())));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("otherExamples")
  void otherStreamsExamplesAreUnknownStreamUnlessTheCommonFieldsAreWrong(Example example)
      throws IOException {
    Envelope e = decodeLine(JSON.writeValueAsString(example.record()));
    assertThat(e.isRejected()).isTrue();
    String reason = e.rejection().reason();
    if (!reason.equals(Rejection.UNKNOWN_STREAM)) {
      assertThat(reason).as("%s: %s", example, e.rejection().detail()).isEqualTo(example.expect());
    }
    JsonNode stream = example.event().get("stream");
    boolean commonFieldsBad =
        example.expect() != null
            && (stream == null
                || EventStream.byTopic(stream.asText()) == null
                || !(example.event().path("event_id").isTextual()
                    && example.event().path("event_id").asText().length() >= 1
                    && example.event().path("event_id").asText().length() <= 128)
                || example.event().path("_why").asText().contains("event_time")
                || example.event().path("_why").asText().contains("offset"));
    if (commonFieldsBad) {
      assertThat(reason).as("%s: %s", example, e.rejection().detail()).isEqualTo(example.expect());
    } else {
      assertThat(reason).isEqualTo(Rejection.UNKNOWN_STREAM);
    }
  }
}
