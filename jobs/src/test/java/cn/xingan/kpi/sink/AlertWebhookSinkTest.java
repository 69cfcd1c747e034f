package cn.xingan.kpi.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cn.xingan.kpi.sink.AlertWebhookWriter.Outcome;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.RequestEntryWrapper;
import org.junit.jupiter.api.Test;

class AlertWebhookSinkTest {
  private static final AlertWebhookSink.Settings DEFAULTS =
      AlertWebhookSink.Settings.of("https://user:secret@alerts.example.org:8443/kpi/hook?token=t");

  @Test
  void backoffDoublesFromTheInitialWaitUpToTheCap() {
    assertThat(DEFAULTS.backoff(1)).isEqualTo(Duration.ofSeconds(1));
    assertThat(DEFAULTS.backoff(2)).isEqualTo(Duration.ofSeconds(2));
    assertThat(DEFAULTS.backoff(6)).isEqualTo(Duration.ofSeconds(32));
    assertThat(DEFAULTS.backoff(7)).isEqualTo(Duration.ofSeconds(60));
    assertThat(DEFAULTS.backoff(1000)).isEqualTo(Duration.ofSeconds(60));
    AlertWebhookSink.Settings quick =
        DEFAULTS.withBackoff(Duration.ofMillis(300), Duration.ofMillis(1000));
    assertThat(quick.backoff(2)).isEqualTo(Duration.ofMillis(600));
    assertThat(quick.backoff(3)).isEqualTo(Duration.ofMillis(1000));
  }

  @Test
  void logsNeverShowTheUrlsUserInfoOrQuery() {
    assertThat(DEFAULTS.redactedUrl()).isEqualTo("https://alerts.example.org:8443/kpi/hook");
    assertThat(AlertWebhookSink.Settings.of("http://h/").redactedUrl()).isEqualTo("http://h/");
  }

  @Test
  void badSettingsAreRefusedWithTheValueNamed() {
    assertThatThrownBy(() -> AlertWebhookSink.Settings.of("ftp://h/x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("alert webhook URL 'ftp://h/x' must be an http:// or https:// URL");
    assertThatThrownBy(() -> AlertWebhookSink.Settings.of("alerts.example.org/hook"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(
            "alert webhook URL 'alerts.example.org/hook' must be an http:// or https:// URL with"
                + " a host");
    assertThatThrownBy(() -> AlertWebhookSink.Settings.of("mailto:ops@example.org?x=secret"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("secret");
    assertThatThrownBy(() -> AlertWebhookSink.Settings.of("http://h/a b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("alert webhook URL is not a URL");
    assertThatThrownBy(() -> DEFAULTS.withBackoff(Duration.ofSeconds(5), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("max backoff PT1S must not be below the initial PT5S");
    assertThatThrownBy(
            () ->
                new AlertWebhookSink.Settings(
                    URI.create("http://h/"),
                    Duration.ZERO,
                    Duration.ofSeconds(1),
                    Duration.ofSeconds(1),
                    1))
        .hasMessage("request timeout PT0S must be a positive duration");
  }

  @Test
  void onlyBodiesTheReceiverCannotTakeAreGivenUp() {
    assertThat(AlertWebhookWriter.outcome(200)).isEqualTo(Outcome.DELIVERED);
    assertThat(AlertWebhookWriter.outcome(204)).isEqualTo(Outcome.DELIVERED);
    for (int status : List.of(400, 413, 415, 422)) {
      assertThat(AlertWebhookWriter.outcome(status)).as("%d", status).isEqualTo(Outcome.REJECTED);
    }
    for (int status : List.of(301, 401, 403, 404, 408, 429, 500, 502, 503)) {
      assertThat(AlertWebhookWriter.outcome(status)).as("%d", status).isEqualTo(Outcome.RETRY);
    }
  }

  @Test
  void pendingPostsRoundTripThroughTheCheckpointForm() throws IOException {
    WebhookPost a = new WebhookPost("P1:no_report:2026-06-01", 3, bytes("{\"v\":3}"));
    WebhookPost b = new WebhookPost("项目:behind_plan:2026-06-16", 1, bytes("{\"项目\":1}"));
    WebhookPost.Serializer serializer = new WebhookPost.Serializer();
    BufferedRequestState<WebhookPost> state =
        new BufferedRequestState<>(
            List.of(new RequestEntryWrapper<>(a, 7), new RequestEntryWrapper<>(b, 11)));
    BufferedRequestState<WebhookPost> back =
        serializer.deserialize(serializer.getVersion(), serializer.serialize(state));
    assertThat(back.getBufferedRequestEntries())
        .extracting(w -> w.getRequestEntry().idempotencyKey())
        .containsExactly("P1:no_report:2026-06-01/3", "项目:behind_plan:2026-06-16/1");
    assertThat(back.getBufferedRequestEntries())
        .extracting(w -> new String(w.getRequestEntry().body(), StandardCharsets.UTF_8))
        .containsExactly("{\"v\":3}", "{\"项目\":1}");
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
