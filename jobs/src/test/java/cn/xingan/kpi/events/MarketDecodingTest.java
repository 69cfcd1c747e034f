package cn.xingan.kpi.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code market-stall-counts} rules of CONTRACT.md section 1, record by record, as JSON text: a
 * report is accepted with its typed fields, or rejected with the contract's reason and a detail
 * naming the field, the value and what was expected. Above all, {@code stalls_occupied} above
 * {@code stalls_total} is {@code invalid_value} and never becomes an event.
 */
class MarketDecodingTest {
  /** The wall clock of every decode here: 2026-07-02 08:00 in Shanghai. */
  private static final long NOW = Instant.parse("2026-07-02T00:00:00Z").toEpochMilli();

  private static final EventDecoder DECODER =
      new EventDecoder(Duration.ofDays(1).toMillis(), 1 << 20);
  private static final ObjectMapper JSON = new ObjectMapper();

  private static String q(String s) {
    return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + "\"";
  }

  /** Tuanjie night market, 2026-06-30 21:00 in Shanghai: 287 of 320 stalls taken. */
  private static Map<String, String> night() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("event_id", q("ms-000001"));
    m.put("event_time", q("2026-06-30T21:00:00+08:00"));
    m.put("market_id", q("ulanhot-tuanjie-night"));
    m.put("market_name", q("团结夜市 Tuanjie night market"));
    m.put("county", q("ulanhot"));
    m.put("market_type", q("night"));
    m.put("status", q("operating"));
    m.put("stalls_total", "320");
    m.put("stalls_occupied", "287");
    return m;
  }

  /** A gig-work market at 09:00 with 1460 workers registered and 37 jobs matched. */
  private static Map<String, String> gig() {
    Map<String, String> m = night();
    m.put("event_id", q("ms-000002"));
    m.put("event_time", q("2026-06-30T09:00:00+08:00"));
    m.put("market_id", q("ulanhot-gig-1"));
    m.put("market_name", q("乌兰浩特零工市场 Ulanhot gig-work market"));
    m.put("market_type", q("gig"));
    m.put("stalls_total", "40");
    m.put("stalls_occupied", "31");
    m.put("workers_registered", "1460");
    m.put("jobs_matched", "37");
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

  private static Envelope decode(Map<String, String> m) {
    return decode(json(m));
  }

  private static Envelope decode(String text) {
    return DECODER.decode(
        EventStream.MARKET_STALL_COUNTS,
        new Origin("market-stall-counts", 1, 17L, text.getBytes(StandardCharsets.UTF_8)),
        NOW);
  }

  private static Envelope decodeLine(String text) {
    return DECODER.decode(
        null, new Origin("in.jsonl", 0, 3L, text.getBytes(StandardCharsets.UTF_8)), NOW);
  }

  private static MarketEvent accept(Envelope e) {
    assertThat(e.isRejected())
        .as("rejected: %s", e.isRejected() ? e.rejection().detail() : "")
        .isFalse();
    assertThat(e.stream()).isEqualTo(EventStream.MARKET_STALL_COUNTS);
    assertThat(e.service()).isNull();
    assertThat(e.eventTime()).isEqualTo(e.market().eventTime());
    assertThat(e.eventId()).isEqualTo(e.market().eventId());
    return e.market();
  }

  private static Rejection reject(Envelope e, String reason) {
    assertThat(e.isRejected()).as("accepted: %s", e.market()).isTrue();
    assertThat(e.market()).isNull();
    assertThat(e.rejection().reason()).as("detail: %s", e.rejection().detail()).isEqualTo(reason);
    return e.rejection();
  }

  // ---- well-formed reports ----

  @Test
  void aNightMarketReport() {
    MarketEvent e = accept(decode(night()));
    assertThat(e)
        .isEqualTo(
            new MarketEvent(
                "ms-000001",
                Instant.parse("2026-06-30T13:00:00Z").toEpochMilli(),
                "ulanhot-tuanjie-night",
                "团结夜市 Tuanjie night market",
                "ulanhot",
                MarketType.NIGHT,
                MarketStatus.OPERATING,
                320,
                287,
                MarketEvent.ABSENT,
                MarketEvent.ABSENT));
  }

  @Test
  void aGigMarketReportWithItsWorkersAndJobs() {
    MarketEvent e = accept(decode(gig()));
    assertThat(e.marketType()).isEqualTo(MarketType.GIG);
    assertThat(e.workersRegistered()).isEqualTo(1460);
    assertThat(e.jobsMatched()).isEqualTo(37);
  }

  @Test
  void theGigFiguresAreOptionalAndNullIsAbsent() {
    MarketEvent none =
        accept(decode(without(without(gig(), "workers_registered"), "jobs_matched")));
    assertThat(none.workersRegistered()).isEqualTo(MarketEvent.ABSENT);
    assertThat(none.jobsMatched()).isEqualTo(MarketEvent.ABSENT);
    MarketEvent nulls =
        accept(decode(with(with(gig(), "workers_registered", "null"), "jobs_matched", "null")));
    assertThat(nulls.workersRegistered()).isEqualTo(MarketEvent.ABSENT);
    assertThat(nulls.jobsMatched()).isEqualTo(MarketEvent.ABSENT);
    MarketEvent zeros =
        accept(decode(with(with(gig(), "workers_registered", "0"), "jobs_matched", "0.0")));
    assertThat(zeros.workersRegistered()).isZero();
    assertThat(zeros.jobsMatched()).isZero();
  }

  @Test
  void theGigFiguresOfOtherMarketsAreIgnored() {
    // The contract's "when" column and schemas/README.md: no meaning there, so never a reason to
    // reject, and never counted.
    Map<String, String> m = with(night(), "workers_registered", "-5");
    m.put("jobs_matched", q("many"));
    MarketEvent e = accept(decode(m));
    assertThat(e.workersRegistered()).isEqualTo(MarketEvent.ABSENT);
    assertThat(e.jobsMatched()).isEqualTo(MarketEvent.ABSENT);
    MarketEvent valid =
        accept(decode(with(with(night(), "workers_registered", "12"), "jobs_matched", "3")));
    assertThat(valid.workersRegistered()).isEqualTo(MarketEvent.ABSENT);
    assertThat(valid.jobsMatched()).isEqualTo(MarketEvent.ABSENT);
  }

  @ParameterizedTest
  @ValueSource(strings = {"night", "morning", "morning_evening", "farmers", "gig"})
  void everyMarketType(String type) {
    assertThat(accept(decode(with(night(), "market_type", q(type)))).marketType().code())
        .isEqualTo(type);
  }

  @ParameterizedTest
  @ValueSource(strings = {"operating", "upgrading", "closed"})
  void everyStatus(String status) {
    assertThat(accept(decode(with(night(), "status", q(status)))).status().code())
        .isEqualTo(status);
  }

  @Test
  void fullAndEmptyMarketsAreFine() {
    MarketEvent full = accept(decode(with(night(), "stalls_occupied", "320")));
    assertThat(full.stallsOccupied()).isEqualTo(full.stallsTotal()).isEqualTo(320);
    // An upgrading market sets out no stalls at all.
    Map<String, String> upgrading = with(night(), "status", q("upgrading"));
    upgrading.put("stalls_total", "0");
    upgrading.put("stalls_occupied", "0");
    MarketEvent empty = accept(decode(upgrading));
    assertThat(empty.stallsTotal()).isZero();
    assertThat(empty.status()).isEqualTo(MarketStatus.UPGRADING);
  }

  @Test
  void wholeNumbersMayBeWrittenWithAZeroFraction() {
    MarketEvent e =
        accept(decode(with(with(night(), "stalls_total", "320.0"), "stalls_occupied", "2.87e2")));
    assertThat(e.stallsTotal()).isEqualTo(320);
    assertThat(e.stallsOccupied()).isEqualTo(287);
  }

  @Test
  void aStreamFieldOnAKafkaRecordIsIgnored() {
    assertThat(accept(decode(with(night(), "stream", q("service-transactions")))))
        .isEqualTo(accept(decode(night())));
  }

  @Test
  void aBackfillLineNamesItsStream() {
    Envelope e = decodeLine(json(with(night(), "stream", q("market-stall-counts"))));
    assertThat(accept(e)).isEqualTo(accept(decode(night())));
    assertThat(e.origin().source()).isEqualTo("in.jsonl");
  }

  // ---- rejected reports ----

  @Test
  void moreStallsOccupiedThanThereAreIsInvalid() {
    Rejection r = reject(decode(with(night(), "stalls_occupied", "321")), Rejection.INVALID_VALUE);
    assertThat(r.detail()).contains("stalls_occupied 321", "stalls_total 320", "<=");
    assertThat(r.eventId()).isEqualTo("ms-000001");
    assertThat(r.source()).isEqualTo("market-stall-counts");
    assertThat(r.partition()).isEqualTo(1);
    assertThat(r.offset()).isEqualTo(17L);
    assertThat(r.raw()).isEqualTo(json(with(night(), "stalls_occupied", "321")));
    // Also when the market has no stalls at all.
    Map<String, String> none = with(night(), "stalls_total", "0");
    none.put("stalls_occupied", "1");
    reject(decode(none), Rejection.INVALID_VALUE);
  }

  static Stream<String> requiredFields() {
    return Stream.of(
        "event_id",
        "event_time",
        "market_id",
        "market_name",
        "county",
        "market_type",
        "status",
        "stalls_total",
        "stalls_occupied");
  }

  @ParameterizedTest
  @MethodSource("requiredFields")
  void aMissingOrNullRequiredFieldIsMissing(String field) {
    Rejection r = reject(decode(without(gig(), field)), Rejection.MISSING_FIELD);
    assertThat(r.detail()).contains("'" + field + "'");
    reject(decode(with(gig(), field, "null")), Rejection.MISSING_FIELD);
  }

  @ParameterizedTest
  @MethodSource("badValues")
  void aBadValueIsInvalidAndTheDetailNamesFieldAndValue(String field, String rawJson) {
    Rejection r = reject(decode(with(gig(), field, rawJson)), Rejection.INVALID_VALUE);
    assertThat(r.detail()).contains("'" + field + "'", rawJson, "expected");
  }

  static Stream<org.junit.jupiter.params.provider.Arguments> badValues() {
    return Stream.of(
            List.of("market_type", q("weekend")),
            List.of("market_type", q("Night")),
            List.of("market_type", "1"),
            List.of("status", q("open")),
            List.of("status", q("OPERATING")),
            List.of("county", q("Horqin_Right_Front")),
            List.of("county", "7"),
            List.of("market_id", q("")),
            List.of("market_id", "42"),
            List.of("market_name", q("")),
            List.of("stalls_total", "-1"),
            List.of("stalls_total", "40.5"),
            List.of("stalls_total", q("40")),
            List.of("stalls_total", "10000000000"),
            List.of("stalls_occupied", "-1"),
            List.of("stalls_occupied", "true"),
            List.of("workers_registered", "-5"),
            List.of("workers_registered", "12.5"),
            List.of("workers_registered", q("1460")),
            List.of("jobs_matched", "-1"),
            List.of("jobs_matched", "[3]"))
        .map(p -> org.junit.jupiter.params.provider.Arguments.of(p.get(0), p.get(1)));
  }

  @Test
  void theOneOfDetailListsTheAllowedValues() {
    Rejection r =
        reject(decode(with(night(), "market_type", q("weekend"))), Rejection.INVALID_VALUE);
    assertThat(r.detail()).contains("night, morning, morning_evening, farmers, gig");
    Rejection s = reject(decode(with(night(), "status", q("open"))), Rejection.INVALID_VALUE);
    assertThat(s.detail()).contains("operating, upgrading, closed");
  }

  // ---- the schema examples of this stream ----

  static Stream<EventDecoderTest.Example> marketExamples() throws IOException {
    return EventDecoderTest.examples().stream().filter(EventDecoderTest.Example::isMarket);
  }

  @Test
  void theExamplesHoldMarketLinesOfEveryKind() throws IOException {
    List<EventDecoderTest.Example> all = marketExamples().toList();
    assertThat(all.stream().filter(e -> e.expect() == null)).hasSizeGreaterThanOrEqualTo(4);
    assertThat(all.stream().filter(e -> e.expect() != null)).hasSizeGreaterThanOrEqualTo(6);
  }

  private static void assertAgrees(EventDecoderTest.Example example, Envelope e) {
    if (example.expect() == null) {
      assertThat(accept(e).eventId()).isEqualTo(example.event().get("event_id").asText());
    } else {
      assertThat(e.isRejected()).as("%s accepted", example).isTrue();
      assertThat(e.rejection().reason())
          .as("%s: %s", example, e.rejection().detail())
          .isEqualTo(example.expect());
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("marketExamples")
  void marketExamplesAsBackfillLines(EventDecoderTest.Example example) throws IOException {
    assertAgrees(example, decodeLine(JSON.writeValueAsString(example.record())));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("marketExamples")
  void marketExamplesAsKafkaRecords(EventDecoderTest.Example example) throws IOException {
    ObjectNode record = example.record();
    record.remove("stream");
    assertAgrees(example, decode(JSON.writeValueAsString(record)));
  }
}
