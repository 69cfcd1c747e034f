package cn.xingan.kpi.sink;

import cn.xingan.kpi.alerts.AlertJson;
import cn.xingan.kpi.alerts.ProjectAlert;
import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Collection;
import java.util.List;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.StatefulSinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.AsyncSinkBase;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;

/**
 * Delivers every alert version ({@code project_alerts} row: open, severity change, resolve) to an
 * HTTP endpoint as the same JSON as the topic {@code project-alerts}, one POST per version. On
 * Flink's async sink base, so versions the endpoint has not acknowledged are kept in checkpoints
 * and survive a restore: at least once.
 *
 * <p>What a receiver sees: POSTs with {@code Content-Type: application/json} and {@code
 * Idempotency-Key: <alert_id>/<version>}. Versions of one alert arrive in order, but a version may
 * come again after a retry or a restore (then possibly after a later one), so a receiver keeps the
 * highest {@code version} per {@code alert_id}, as a consumer of the topic does. Any 2xx is
 * success; 400, 413, 415 and 422 say this body will never be accepted, so it is dropped (metric
 * {@code webhookRejected}); anything else (5xx, 429, 408, 401, 403, 404, a refused or dropped
 * connection, a timeout) is retried with exponential backoff (metric {@code webhookFailures}).
 *
 * <p>The KPIs never wait for the endpoint: the sink runs in its own task, and while the endpoint is
 * down it holds up to {@code maxPending} versions per subtask (in memory and in checkpoints);
 * beyond that, new versions are dropped and counted ({@code webhookDropped}) — they remain in
 * {@code project_alerts} and on the topic. {@code webhookPending} and {@code webhookDelivered} tell
 * how far behind it is.
 */
public final class AlertWebhookSink extends AsyncSinkBase<ProjectAlert, WebhookPost> {
  private static final long serialVersionUID = 1L;

  /** The endpoint and how hard to try; {@link #of(String)} gives the defaults. */
  public record Settings(
      URI url,
      Duration requestTimeout,
      Duration initialBackoff,
      Duration maxBackoff,
      int maxPending)
      implements Serializable {

    public Settings {
      if (url == null
          || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))
          || url.getHost() == null) {
        throw new IllegalArgumentException(
            "alert webhook URL '"
                + (url == null ? null : redact(url))
                + "' must be an http:// or https:// URL with a host, e.g."
                + " https://alerts.example.org/kpi");
      }
      positive("request timeout", requestTimeout);
      positive("initial backoff", initialBackoff);
      positive("max backoff", maxBackoff);
      if (maxBackoff.compareTo(initialBackoff) < 0) {
        throw new IllegalArgumentException(
            "max backoff " + maxBackoff + " must not be below the initial " + initialBackoff);
      }
      if (maxPending < 1) {
        throw new IllegalArgumentException("max pending " + maxPending + " must be at least 1");
      }
    }

    /** Timeout 10 s per POST, backoff from 1 s doubling to 60 s, 10,000 pending per subtask. */
    public static Settings of(String url) {
      URI uri;
      try {
        uri = URI.create(url);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "alert webhook URL is not a URL (" + e.getMessage() + ")", e);
      }
      return new Settings(
          uri, Duration.ofSeconds(10), Duration.ofSeconds(1), Duration.ofSeconds(60), 10_000);
    }

    public Settings withBackoff(Duration initial, Duration max) {
      return new Settings(url, requestTimeout, initial, max, maxPending);
    }

    /** The wait after {@code failures} failures in a row (1, 2, ...): doubling, capped. */
    Duration backoff(int failures) {
      Duration d = initialBackoff;
      for (int i = 1; i < failures && d.compareTo(maxBackoff) < 0; i++) {
        d = d.multipliedBy(2);
      }
      return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
    }

    /** The URL for logs: no user info, no query (either may hold a token). */
    String redactedUrl() {
      return redact(url);
    }

    private static String redact(URI u) {
      StringBuilder out = new StringBuilder();
      if (u.getScheme() != null) {
        out.append(u.getScheme()).append("://");
      }
      if (u.getHost() != null) {
        out.append(u.getHost());
      }
      if (u.getPort() >= 0) {
        out.append(':').append(u.getPort());
      }
      return out.append(u.getRawPath() == null ? "" : u.getRawPath()).toString();
    }

    private static void positive(String name, Duration d) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " " + d + " must be a positive duration");
      }
    }
  }

  private final Settings settings;

  AlertWebhookSink(Settings settings, ZoneId zone) {
    super(
        new ToPost(zone),
        settings.maxPending(),
        settings.maxPending(),
        settings.maxPending() + 1,
        AlertWebhookWriter.MAX_BYTES,
        AlertWebhookWriter.FLUSH_MILLIS,
        AlertWebhookWriter.MAX_BYTES);
    this.settings = settings;
  }

  /**
   * Attaches the webhook to an alert stream: operator "webhook project-alerts", uid {@code
   * sink-webhook-project-alerts}, not chained, so waiting for the endpoint never holds up the
   * operator that produces the alerts.
   */
  public static DataStreamSink<ProjectAlert> attach(
      DataStream<ProjectAlert> alerts, Settings settings, ZoneId zone) {
    return alerts
        .sinkTo(new AlertWebhookSink(settings, zone))
        .name("webhook project-alerts")
        .uid("sink-webhook-project-alerts")
        .disableChaining();
  }

  @Override
  public SinkWriter<ProjectAlert> createWriter(WriterInitContext context) {
    return new AlertWebhookWriter(getElementConverter(), context, settings, List.of());
  }

  @Override
  public StatefulSinkWriter<ProjectAlert, BufferedRequestState<WebhookPost>> restoreWriter(
      WriterInitContext context, Collection<BufferedRequestState<WebhookPost>> recovered) {
    return new AlertWebhookWriter(getElementConverter(), context, settings, recovered);
  }

  @Override
  public SimpleVersionedSerializer<BufferedRequestState<WebhookPost>> getWriterStateSerializer() {
    return new WebhookPost.Serializer();
  }

  /** An alert version as its {@code project-alerts} JSON. */
  private record ToPost(ZoneId zone) implements ElementConverter<ProjectAlert, WebhookPost> {
    @Override
    public WebhookPost apply(ProjectAlert alert, SinkWriter.Context context) {
      return new WebhookPost(alert.alertId(), alert.version(), AlertJson.toJson(alert, zone));
    }
  }
}
