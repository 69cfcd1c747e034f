package cn.xingan.kpi.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code project-progress} rules of CONTRACT.md section 1: each event type with its fields,
 * money read exactly to the fen, and each way a record can be wrong with the reason it gets.
 */
class ProjectDecodingTest {
  private static final long NOW = Instant.parse("2026-07-02T00:00:00Z").toEpochMilli();
  private static final EventDecoder DECODER = new EventDecoder(86_400_000L, 1 << 20);
  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String REGISTERED =
      "{\"event_id\":\"pp-1\",\"event_time\":\"2026-03-02T09:00:00+08:00\","
          + "\"project_id\":\"XA-2026-017\",\"type\":\"registered\","
          + "\"project_name\":\"乳业智能工厂一期\",\"county\":\"dev-zone\",\"chain\":\"dairy\","
          + "\"list\":\"key\",\"planned_total_cny\":860000000,\"planned_year_cny\":300000000.00,"
          + "\"planned_start\":\"2026-03-15\",\"planned_completion\":\"2027-06-30\"}";

  private static Envelope decode(String json) {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    return DECODER.decode(
        EventStream.PROJECT_PROGRESS, new Origin("project-progress", 0, 3L, bytes), NOW);
  }

  private static ProjectEvent accept(String json) {
    Envelope e = decode(json);
    assertThat(e.isRejected())
        .as("rejected: %s", e.isRejected() ? e.rejection().detail() : "")
        .isFalse();
    assertThat(e.stream()).isEqualTo(EventStream.PROJECT_PROGRESS);
    assertThat(e.eventId()).isEqualTo(e.project().eventId());
    return e.project();
  }

  private static Rejection reject(String json, String reason) {
    Envelope e = decode(json);
    assertThat(e.isRejected()).as("accepted: %s", json).isTrue();
    assertThat(e.rejection().reason()).as(e.rejection().detail()).isEqualTo(reason);
    return e.rejection();
  }

  private static String investment(String amountJson, String extra) {
    return "{\"event_id\":\"pp-2\",\"event_time\":\"2026-06-15T23:59:59.999+08:00\","
        + "\"project_id\":\"XA-2026-017\",\"type\":\"investment\",\"amount_cny\":"
        + amountJson
        + extra
        + "}";
  }

  private static String progress(String pct) {
    return "{\"event_id\":\"pp-4\",\"event_time\":\"2026-06-30T09:30+08:00\","
        + "\"project_id\":\"XA-2026-017\",\"type\":\"progress\",\"progress_pct\":"
        + pct
        + "}";
  }

  private static String withField(String json, String field, String rawValue) {
    try {
      ObjectNode node = (ObjectNode) JSON.readTree(json);
      node.set(field, JSON.readTree(rawValue));
      return JSON.writeValueAsString(node);
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  @Test
  void aRegistrationCarriesEveryAttribute() {
    ProjectEvent e = accept(REGISTERED);
    assertThat(e.type()).isEqualTo(ProjectEventType.REGISTERED);
    assertThat(e.projectId()).isEqualTo("XA-2026-017");
    assertThat(e.eventTime()).isEqualTo(Instant.parse("2026-03-02T01:00:00Z").toEpochMilli());
    ProjectRegistration r = e.registration();
    assertThat(r.projectName()).isEqualTo("乳业智能工厂一期");
    assertThat(r.county()).isEqualTo("dev-zone");
    assertThat(r.chain()).isEqualTo("dairy");
    assertThat(r.list()).isEqualTo("key");
    assertThat(r.plannedTotalCents()).isEqualTo(86_000_000_000L);
    assertThat(r.plannedYearCents()).isEqualTo(30_000_000_000L);
    assertThat(r.plannedStart()).isEqualTo(LocalDate.of(2026, 3, 15));
    assertThat(r.plannedCompletion()).isEqualTo(LocalDate.of(2027, 6, 30));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "project_name",
        "county",
        "chain",
        "list",
        "planned_total_cny",
        "planned_year_cny",
        "planned_start",
        "planned_completion"
      })
  void aRegistrationWithoutAnAttributeIsMissingIt(String field) throws IOException {
    ObjectNode node = (ObjectNode) JSON.readTree(REGISTERED);
    node.remove(field);
    Rejection r = reject(JSON.writeValueAsString(node), Rejection.MISSING_FIELD);
    assertThat(r.detail()).contains("'" + field + "'");
    assertThat(r.eventId()).isEqualTo("pp-1");
  }

  @Test
  void registrationValuesAreChecked() {
    assertThat(
            reject(withField(REGISTERED, "county", "\"Horqin_Right_Front\""), "invalid_value")
                .detail())
        .contains("'county'", "Horqin_Right_Front", "kebab-case");
    assertThat(
            reject(withField(REGISTERED, "chain", "\"Dairy Farming\""), "invalid_value").detail())
        .contains("'chain'");
    assertThat(reject(withField(REGISTERED, "list", "\"urgent\""), "invalid_value").detail())
        .contains("'list'", "urgent", "key, highlight, difficult");
    assertThat(reject(withField(REGISTERED, "planned_year_cny", "-1"), "invalid_value").detail())
        .contains("'planned_year_cny'", "-1", ">= 0");
    assertThat(
            reject(withField(REGISTERED, "planned_total_cny", "\"860000000\""), "invalid_value")
                .detail())
        .contains("'planned_total_cny'");
    assertThat(reject(withField(REGISTERED, "planned_start", "\"2026-6-30\""), "invalid_value"))
        .extracting(Rejection::detail)
        .asString()
        .contains("YYYY-MM-DD");
    reject(withField(REGISTERED, "planned_start", "\"2026-02-29\""), "invalid_value");
    reject(withField(REGISTERED, "planned_start", "\"+2026-03-15\""), "invalid_value");
    reject(withField(REGISTERED, "planned_completion", "20270630"), "invalid_value");
    // 2028 is a leap year
    assertThat(
            accept(withField(REGISTERED, "planned_completion", "\"2028-02-29\""))
                .registration()
                .plannedCompletion())
        .isEqualTo(LocalDate.of(2028, 2, 29));
  }

  @Test
  void moneyIsExactToTheFen() {
    assertThat(accept(investment("12500000.75", "")).amountCents()).isEqualTo(1_250_000_075L);
    assertThat(accept(investment("0.07", "")).amountCents()).isEqualTo(7L);
    assertThat(accept(investment("19.99", "")).amountCents()).isEqualTo(1_999L);
    assertThat(accept(investment("1.10", "")).amountCents()).isEqualTo(110L);
    assertThat(accept(investment("1.500000", "")).amountCents()).isEqualTo(150L);
    assertThat(accept(investment("1e2", "")).amountCents()).isEqualTo(10_000L);
    // the largest Decimal(18,2): a double would make it 1.0E16
    assertThat(accept(investment("9999999999999999.99", "")).amountCents())
        .isEqualTo(999_999_999_999_999_999L);
    assertThat(
            accept(withField(REGISTERED, "planned_year_cny", "0"))
                .registration()
                .plannedYearCents())
        .isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"0.125", "100.001", "1e-3", "10000000000000000", "1e400", "\"100.00\""})
  void moneyWithMoreThanTwoDecimalsOrBeyondDecimal18x2IsInvalid(String amount) {
    Rejection r = reject(investment(amount, ""), Rejection.INVALID_VALUE);
    assertThat(r.detail()).contains("'amount_cny'", "2 decimals");
  }

  @Test
  void amountsAreNeverZeroAndNegativeOnlyAsCorrections() {
    assertThat(reject(investment("0", ""), "invalid_value").detail())
        .contains("'amount_cny'", "other than 0");
    reject(investment("0.00", ""), "invalid_value");
    assertThat(reject(investment("-100", ""), "invalid_value").detail())
        .contains("-100", "correction");
    reject(investment("-100", ",\"correction\":false"), "invalid_value");
    reject(investment("-100", ",\"correction\":null"), "invalid_value");
    assertThat(reject(investment("-100", ",\"correction\":\"true\""), "invalid_value").detail())
        .contains("'correction'");
    ProjectEvent c = accept(investment("-250000.5", ",\"correction\":true"));
    assertThat(c.amountCents()).isEqualTo(-25_000_050L);
    assertThat(c.correction()).isTrue();
    // correction on a positive amount is allowed
    assertThat(accept(investment("5", ",\"correction\":true")).correction()).isTrue();
    assertThat(accept(investment("5", "")).correction()).isFalse();
  }

  @Test
  void progressIsAPercentage() {
    assertThat(accept(progress("52.5")).progressMicros()).isEqualTo(52_500_000L);
    assertThat(accept(progress("0")).progressMicros()).isZero();
    assertThat(accept(progress("100")).progressMicros()).isEqualTo(100_000_000L);
    assertThat(accept(progress("100.0")).progressMicros()).isEqualTo(100_000_000L);
    assertThat(accept(progress("33.3333333")).progressMicros()).isEqualTo(33_333_333L);
    assertThat(reject(progress("100.5"), "invalid_value").detail())
        .contains("'progress_pct'", "100.5", "0 to 100");
    reject(progress("-0.1"), "invalid_value");
    reject(progress("\"50\""), "invalid_value");
    reject(progress("null"), "missing_field");
  }

  @Test
  void milestonesAndTypes() {
    String m =
        "{\"event_id\":\"pp-5\",\"event_time\":\"2026-06-30T01:30:00Z\","
            + "\"project_id\":\"XA-2026-017\",\"type\":\"milestone\",\"milestone\":";
    for (Milestone each : Milestone.values()) {
      assertThat(accept(m + "\"" + each.code() + "\"}").milestone()).isEqualTo(each);
    }
    assertThat(reject(m + "\"started\"}", "invalid_value").detail())
        .contains("'milestone'", "construction_started");
    reject(m + "null}", "missing_field");
    assertThat(
            reject(
                    "{\"event_id\":\"x\",\"event_time\":\"2026-06-30T01:30:00Z\","
                        + "\"project_id\":\"p\",\"type\":\"inspection\"}",
                    "invalid_value")
                .detail())
        .contains("'type'", "registered, investment, progress, milestone");
    reject(
        "{\"event_id\":\"x\",\"event_time\":\"2026-06-30T01:30:00Z\",\"project_id\":\"p\"}",
        "missing_field");
    reject(
        "{\"event_id\":\"x\",\"event_time\":\"2026-06-30T01:30:00Z\",\"project_id\":\"\","
            + "\"type\":\"progress\",\"progress_pct\":1}",
        "invalid_value");
  }

  @Test
  void fieldsOfOtherTypesAreIgnored() {
    // amount_cny on a progress event and progress_pct on an investment carry no meaning
    assertThat(accept(withField(progress("100"), "amount_cny", "\"n/a\"")).progressMicros())
        .isEqualTo(100_000_000L);
    assertThat(accept(investment("5", ",\"progress_pct\":900,\"county\":\"X Y\"")).amountCents())
        .isEqualTo(500L);
  }

  // ---- the schema examples ----

  static Stream<EventDecoderTest.Example> projectExamples() throws IOException {
    return EventDecoderTest.examples().stream()
        .filter(e -> "project-progress".equals(e.event().path("stream").asText(null)));
  }

  @Test
  void theExamplesHoldProjectLinesOfEveryKind() throws IOException {
    List<EventDecoderTest.Example> all = projectExamples().toList();
    assertThat(all.stream().filter(e -> e.expect() == null)).hasSizeGreaterThanOrEqualTo(5);
    assertThat(all.stream().filter(e -> e.expect() != null)).hasSizeGreaterThanOrEqualTo(15);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("projectExamples")
  void projectExamplesAsBackfillLines(EventDecoderTest.Example example) throws IOException {
    byte[] line = JSON.writeValueAsBytes(example.record());
    Envelope e = DECODER.decode(null, new Origin("in.jsonl", -1, 7L, line), NOW);
    if (example.expect() == null) {
      assertThat(e.isRejected())
          .as("%s rejected: %s", example, e.isRejected() ? e.rejection().detail() : "")
          .isFalse();
      assertThat(e.project().eventId()).isEqualTo(example.event().get("event_id").asText());
    } else {
      assertThat(e.isRejected()).as("%s accepted", example).isTrue();
      assertThat(e.rejection().reason())
          .as("%s: %s", example, e.rejection().detail())
          .isEqualTo(example.expect());
    }
  }
}
