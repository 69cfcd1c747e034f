package cn.xingan.kpi.local.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Checks the generated stream against CONTRACT.md §1 with rules written out here, and its shares
 * against DOMAIN.md, over one local day of about 2,000 transactions.
 */
class ServiceTransactionGeneratorTest {

  private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
  private static final Instant DAY_START =
      ZonedDateTime.of(2026, 6, 30, 0, 0, 0, 0, SHANGHAI).toInstant();
  private static final Instant DAY_END = DAY_START.plus(Duration.ofDays(1));
  private static final double RATE = 2_000 / 24.0;
  private static final Pattern KEBAB = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
  private static final Set<String> STATUSES = Set.of("accepted", "completed", "rejected");
  private static final Set<String> CHANNELS = Set.of("online", "window", "one_stop_police", "mail");
  private static final Set<String> ALWAYS =
      Set.of(
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
          "promised_days");
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static List<GeneratedEvent> day;
  private static List<JsonNode> nodes;

  @BeforeAll
  static void generateOneDay() throws Exception {
    day = new ServiceTransactionGenerator(42, SHANGHAI).between(DAY_START, DAY_END, RATE);
    nodes = new ArrayList<>();
    for (GeneratedEvent e : day) {
      nodes.add(MAPPER.readTree(e.json()));
    }
  }

  @Test
  void everyEventFollowsTheContract() {
    Set<String> eventIds = new HashSet<>();
    Instant previous = Instant.MIN;
    for (int i = 0; i < day.size(); i++) {
      GeneratedEvent event = day.get(i);
      JsonNode n = nodes.get(i);
      String where = event.jsonText();
      assertThat(n.isObject()).as(where).isTrue();
      for (String field : ALWAYS) {
        assertThat(n.hasNonNull(field)).as(field + " in " + where).isTrue();
      }
      for (String field :
          List.of("event_id", "event_time", "transaction_id", "service_code", "service_name")) {
        assertThat(n.get(field).isTextual()).as(field + " in " + where).isTrue();
      }
      String eventId = n.get("event_id").asText();
      assertThat(eventId.length()).as(where).isBetween(1, 128);
      assertThat(eventIds.add(eventId)).as("unique event_id " + eventId).isTrue();
      assertThat(n.get("transaction_id").asText()).isEqualTo(event.key());

      OffsetDateTime time = OffsetDateTime.parse(n.get("event_time").asText());
      assertThat(time.getOffset().getId()).as(where).isEqualTo("+08:00");
      assertThat(time.toInstant()).isEqualTo(event.eventTime());
      assertThat(event.eventTime()).isBetween(DAY_START, DAY_END.minusNanos(1));
      assertThat(event.eventTime()).as("sorted").isAfterOrEqualTo(previous);
      previous = event.eventTime();

      for (String code : List.of("service_code", "department", "county")) {
        assertThat(n.get(code).asText()).as(code + " in " + where).matches(KEBAB);
      }
      String status = n.get("status").asText();
      assertThat(STATUSES).as(where).contains(status);
      assertThat(CHANNELS).as(where).contains(n.get("channel").asText());
      assertThat(n.get("statutory_days").isInt()).isTrue();
      assertThat(n.get("promised_days").isInt()).isTrue();
      assertThat(n.get("promised_days").asInt())
          .as(where)
          .isBetween(1, n.get("statutory_days").asInt());

      if (status.equals("completed")) {
        OffsetDateTime acceptedAt = OffsetDateTime.parse(n.get("accepted_at").asText());
        assertThat(acceptedAt.getOffset().getId()).isEqualTo("+08:00");
        assertThat(acceptedAt).as(where).isBeforeOrEqualTo(time);
        assertThat(n.get("visits").isInt()).as(where).isTrue();
        assertThat(n.get("visits").asInt()).as(where).isGreaterThanOrEqualTo(0);
        if (n.has("satisfaction")) {
          assertThat(n.get("satisfaction").isInt()).isTrue();
          assertThat(n.get("satisfaction").asInt()).as(where).isBetween(1, 5);
        }
      } else {
        assertThat(n.has("accepted_at") || n.has("visits") || n.has("satisfaction"))
            .as("only completed events carry outcome fields: " + where)
            .isFalse();
      }
    }
  }

  @Test
  void officeChannelsAcceptOnlyInWorkingHoursAndPoliceUseOneStopStations() {
    LocalTime opens = LocalTime.of(8, 30);
    LocalTime closes = LocalTime.of(17, 30);
    for (JsonNode n : nodes) {
      String channel = n.get("channel").asText();
      String department = n.get("department").asText();
      if (n.get("status").asText().equals("accepted") && !channel.equals("online")) {
        LocalTime local = OffsetDateTime.parse(n.get("event_time").asText()).toLocalTime();
        assertThat(local).as(n.toString()).isBetween(opens, closes.minusNanos(1));
      }
      if (channel.equals("one_stop_police")) {
        assertThat(department).isEqualTo("public-security");
      }
      if (department.equals("public-security")) {
        assertThat(channel).isNotEqualTo("window");
      }
    }
  }

  @Test
  void outcomesMatchTheirAcceptance() {
    Map<String, JsonNode> accepted = new HashMap<>();
    int matched = 0;
    for (JsonNode n : nodes) {
      String tx = n.get("transaction_id").asText();
      if (n.get("status").asText().equals("accepted")) {
        accepted.put(tx, n);
        continue;
      }
      JsonNode a = accepted.get(tx);
      if (a == null) {
        continue; // accepted before the day: its acceptance is outside the window
      }
      matched++;
      for (String field :
          List.of("service_code", "department", "county", "channel", "promised_days")) {
        assertThat(n.get(field)).as(field + " of " + tx).isEqualTo(a.get(field));
      }
      if (n.has("accepted_at")) {
        assertThat(OffsetDateTime.parse(n.get("accepted_at").asText()))
            .isEqualTo(OffsetDateTime.parse(a.get("event_time").asText()));
      }
    }
    assertThat(matched).isGreaterThan(500);
  }

  @Test
  void sharesAreRealistic() {
    Map<String, Integer> counties = new HashMap<>();
    long accepted = 0;
    long completed = 0;
    long rejected = 0;
    long onTime = 0;
    long responses = 0;
    long positive = 0;
    long naturalResources = 0;
    long naturalResourcesOnline = 0;
    for (JsonNode n : nodes) {
      switch (n.get("status").asText()) {
        case "accepted" -> {
          accepted++;
          counties.merge(n.get("county").asText(), 1, Integer::sum);
          if (n.get("department").asText().equals("natural-resources")) {
            naturalResources++;
            naturalResourcesOnline += n.get("channel").asText().equals("online") ? 1 : 0;
          }
        }
        case "rejected" -> rejected++;
        default -> {
          completed++;
          Duration took =
              Duration.between(
                  OffsetDateTime.parse(n.get("accepted_at").asText()),
                  OffsetDateTime.parse(n.get("event_time").asText()));
          onTime += took.compareTo(Duration.ofDays(n.get("promised_days").asInt())) <= 0 ? 1 : 0;
          if (n.has("satisfaction")) {
            responses++;
            positive += n.get("satisfaction").asInt() >= 4 ? 1 : 0;
          }
        }
      }
    }
    // Poisson with mean 2,000: a standard deviation of about 45.
    assertThat(accepted).isBetween(1_800L, 2_200L);
    assertThat(counties.keySet())
        .containsExactlyInAnyOrderElementsOf(County.ALL.stream().map(County::code).toList());
    int ulanhot = counties.get("ulanhot");
    assertThat(counties.values()).allMatch(c -> c <= ulanhot);
    assertThat((double) onTime / completed).isBetween(0.70, 0.99);
    assertThat(responses).isGreaterThan(completed / 3);
    assertThat((double) positive / responses).isGreaterThanOrEqualTo(0.85);
    assertThat((double) rejected / (completed + rejected)).isBetween(0.005, 0.08);
    assertThat((double) naturalResourcesOnline / naturalResources).isGreaterThan(0.80);
    // a steady state: about as many outcomes as acceptances in a day
    assertThat((double) (completed + rejected) / accepted).isBetween(0.8, 1.2);
  }

  @Test
  void theSameSeedGivesTheSameBytesAndAnotherSeedDoesNot() {
    Instant from = DAY_START.plus(Duration.ofHours(9));
    Instant to = from.plus(Duration.ofHours(2));
    List<GeneratedEvent> a = new ServiceTransactionGenerator(7, SHANGHAI).between(from, to, 500);
    List<GeneratedEvent> b = new ServiceTransactionGenerator(7, SHANGHAI).between(from, to, 500);
    List<GeneratedEvent> c = new ServiceTransactionGenerator(8, SHANGHAI).between(from, to, 500);
    assertThat(a).isNotEmpty().isEqualTo(b);
    for (int i = 0; i < a.size(); i++) {
      assertThat(a.get(i).json()).isEqualTo(b.get(i).json());
    }
    assertThat(c).isNotEqualTo(a);
    Set<String> idsA = new HashSet<>();
    a.forEach(e -> idsA.add(e.key()));
    assertThat(c).noneMatch(e -> idsA.contains(e.key()));
  }

  @Test
  void consecutiveWindowsComposeIntoTheWholeWindow() {
    Instant a = DAY_START.plus(Duration.ofMinutes(8 * 60 + 7)).plusMillis(250);
    Instant b = a.plus(Duration.ofMinutes(47)).plusMillis(500);
    Instant c = b.plus(Duration.ofHours(3));
    List<GeneratedEvent> whole = new ServiceTransactionGenerator(3, SHANGHAI).between(a, c, 300);

    ServiceTransactionGenerator continuing = new ServiceTransactionGenerator(3, SHANGHAI);
    List<GeneratedEvent> pieces = new ArrayList<>(continuing.between(a, b, 300));
    pieces.addAll(continuing.between(b, c, 300));
    assertThat(pieces).isEqualTo(whole);

    List<GeneratedEvent> fresh =
        new ArrayList<>(new ServiceTransactionGenerator(3, SHANGHAI).between(a, b, 300));
    fresh.addAll(new ServiceTransactionGenerator(3, SHANGHAI).between(b, c, 300));
    assertThat(fresh).isEqualTo(whole);

    List<GeneratedEvent> streamed = new ArrayList<>();
    new ServiceTransactionGenerator(3, SHANGHAI).forEachBetween(a, c, 300, streamed::add);
    assertThat(streamed).isEqualTo(whole);
  }

  @Test
  void aJsonLineCarriesTheStream() throws Exception {
    GeneratedEvent event = day.get(0);
    JsonNode line = MAPPER.readTree(event.jsonWithStream(ServiceTransactionGenerator.STREAM));
    assertThat(line.get("stream").asText()).isEqualTo("service-transactions");
    assertThat(line.get("event_id")).isEqualTo(nodes.get(0).get("event_id"));
    assertThat(line.size()).isEqualTo(nodes.get(0).size() + 1);
  }

  @Test
  void aZeroRateOrEmptyWindowGivesNothingAndBadArgumentsAreNamed() {
    ServiceTransactionGenerator g = new ServiceTransactionGenerator(1, SHANGHAI);
    assertThat(g.between(DAY_START, DAY_END, 0)).isEmpty();
    assertThat(g.between(DAY_START, DAY_START, 100)).isEmpty();
    assertThatThrownBy(() -> g.between(DAY_END, DAY_START, 100))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(DAY_END.toString());
    assertThatThrownBy(() -> g.between(DAY_START, DAY_END, -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1.0");
    assertThatThrownBy(() -> g.between(DAY_START, DAY_END, Double.NaN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NaN");
  }

  @Test
  void otherZonesGetTheirOwnOffset() throws Exception {
    ZoneId utc = ZoneId.of("UTC");
    List<GeneratedEvent> events =
        new ServiceTransactionGenerator(5, utc)
            .between(DAY_START, DAY_START.plusSeconds(7_200), 500);
    assertThat(events).isNotEmpty();
    for (GeneratedEvent e : events) {
      String time = MAPPER.readTree(e.json()).get("event_time").asText();
      assertThat(time).endsWith("+00:00");
      assertThat(OffsetDateTime.parse(time).toInstant()).isEqualTo(e.eventTime());
    }
  }
}
