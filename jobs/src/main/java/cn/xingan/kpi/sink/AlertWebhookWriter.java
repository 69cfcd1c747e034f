package cn.xingan.kpi.sink;

import cn.xingan.kpi.alerts.ProjectAlert;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.base.sink.writer.AsyncSinkWriter;
import org.apache.flink.connector.base.sink.writer.BufferedRequestState;
import org.apache.flink.connector.base.sink.writer.DequeRequestBuffer;
import org.apache.flink.connector.base.sink.writer.ElementConverter;
import org.apache.flink.connector.base.sink.writer.ResultHandler;
import org.apache.flink.connector.base.sink.writer.SimpleBatchCreator;
import org.apache.flink.connector.base.sink.writer.config.AsyncSinkWriterConfiguration;
import org.apache.flink.connector.base.sink.writer.strategy.RateLimitingStrategy;
import org.apache.flink.connector.base.sink.writer.strategy.RequestInfo;
import org.apache.flink.connector.base.sink.writer.strategy.ResultInfo;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webhook sink's writer. Flink's async sink base keeps the versions not yet acknowledged (its
 * buffer is checkpointed); this class sends them, one POST each and in order, on one "lane" thread
 * that owns all sending state, so nothing here needs a lock.
 *
 * <p>Why not simply hold a batch until the endpoint answers: before a checkpoint the base waits for
 * every batch in flight, and a batch held through a long outage would hold the checkpoint. So a
 * batch never stays in flight for long: after a failure the rest of it, and every batch queued
 * behind it, goes back into the buffer at once (in order); while the backoff runs, a new batch goes
 * back after at most {@link #POLL_MILLIS}; a long batch hands back its rest after {@link
 * #SLICE_MILLIS}. A checkpoint thus waits at most about one POST and the buffer is in the state.
 *
 * <p>Batches are only ever cut by the base's timer ({@link #FLUSH_MILLIS} after a version arrives)
 * or at {@code maxPending}: the batch size and byte limits are set beyond what is ever buffered.
 */
final class AlertWebhookWriter extends AsyncSinkWriter<ProjectAlert, WebhookPost> {
  private static final Logger LOG = LoggerFactory.getLogger(AlertWebhookWriter.class);

  static final long FLUSH_MILLIS = 200;
  static final long POLL_MILLIS = 500;
  static final long SLICE_MILLIS = 2000;
  static final long MAX_BYTES = 1L << 30;

  /** What an answer means for the version sent. */
  enum Outcome {
    DELIVERED,
    REJECTED,
    RETRY
  }

  private record Batch(List<WebhookPost> posts, ResultHandler<WebhookPost> result) {}

  private final AlertWebhookSink.Settings settings;
  private final HttpClient http;
  private final ScheduledExecutorService lane;
  private final AtomicLong pending = new AtomicLong();
  private final Counter delivered;
  private final Counter failures;
  private final Counter rejected;
  private final Counter dropped;

  // Owned by the lane thread.
  private final Deque<Batch> queue = new ArrayDeque<>();
  private boolean busy;
  private int failuresInARow;
  private long nextAttemptAt;

  AlertWebhookWriter(
      ElementConverter<ProjectAlert, WebhookPost> converter,
      WriterInitContext context,
      AlertWebhookSink.Settings settings,
      Collection<BufferedRequestState<WebhookPost>> recovered) {
    super(
        converter,
        context,
        configuration(settings.maxPending()),
        recovered,
        new SimpleBatchCreator<>(MAX_BYTES),
        new DequeRequestBuffer<>());
    this.settings = settings;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(settings.requestTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    this.lane =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t =
                  new Thread(r, "alert-webhook-" + context.getTaskInfo().getIndexOfThisSubtask());
              t.setDaemon(true);
              return t;
            });
    for (BufferedRequestState<WebhookPost> state : recovered) {
      pending.addAndGet(state.getBufferedRequestEntries().size());
    }
    var metrics = context.metricGroup();
    this.delivered = metrics.counter("webhookDelivered");
    this.failures = metrics.counter("webhookFailures");
    this.rejected = metrics.counter("webhookRejected");
    this.dropped = metrics.counter("webhookDropped");
    metrics.gauge("webhookPending", pending::get);
    if (pending.get() > 0) {
      LOG.info("Alert webhook: {} versions restored for {}", pending.get(), settings.redactedUrl());
    }
  }

  private static AsyncSinkWriterConfiguration configuration(int maxPending) {
    return AsyncSinkWriterConfiguration.builder()
        .setMaxBatchSize(maxPending)
        .setMaxBatchSizeInBytes(MAX_BYTES)
        .setMaxInFlightRequests(maxPending)
        .setMaxBufferedRequests(maxPending + 1)
        .setMaxTimeInBufferMS(FLUSH_MILLIS)
        .setMaxRecordSizeInBytes(MAX_BYTES)
        .setRateLimitingStrategy(new NeverBlock(maxPending))
        .build();
  }

  /** Drops the version (counted) once {@code maxPending} wait; blocking would hold up the job. */
  @Override
  public void write(ProjectAlert alert, Context context) throws IOException, InterruptedException {
    if (pending.get() >= settings.maxPending()) {
      dropped.inc();
      if (dropped.getCount() % 1000 == 1) {
        LOG.warn(
            "Alert webhook {}: {} versions pending, so {} (and {} in all) dropped; they are in"
                + " project_alerts and on the topic project-alerts",
            settings.redactedUrl(),
            pending.get(),
            alert.alertId() + " v" + alert.version(),
            dropped.getCount());
      }
      return;
    }
    pending.incrementAndGet();
    super.write(alert, context);
  }

  @Override
  protected void submitRequestEntries(List<WebhookPost> posts, ResultHandler<WebhookPost> result) {
    List<WebhookPost> copy = List.copyOf(posts);
    lane.execute(
        () -> {
          queue.add(new Batch(copy, result));
          next();
        });
  }

  @Override
  protected long getSizeInBytes(WebhookPost post) {
    return post.body().length;
  }

  @Override
  public void close() {
    lane.shutdownNow();
    super.close();
  }

  /** Starts the next queued batch, or waits out the backoff (briefly: see the class comment). */
  private void next() {
    if (busy || queue.isEmpty()) {
      return;
    }
    busy = true;
    long wait = nextAttemptAt - System.currentTimeMillis();
    if (wait > 0) {
      lane.schedule(this::afterPause, Math.min(wait, POLL_MILLIS), TimeUnit.MILLISECONDS);
    } else {
      send(queue.poll(), 0, System.currentTimeMillis());
    }
  }

  private void afterPause() {
    busy = false;
    if (System.currentTimeMillis() >= nextAttemptAt) {
      next();
    } else {
      handBack(null, List.of());
    }
  }

  private void send(Batch batch, int i, long startedAt) {
    List<WebhookPost> posts = batch.posts();
    if (i == posts.size() || (i > 0 && System.currentTimeMillis() - startedAt > SLICE_MILLIS)) {
      if (i == posts.size()) {
        batch.result().complete();
      } else {
        batch.result().retryForEntries(new ArrayList<>(posts.subList(i, posts.size())));
      }
      busy = false;
      next();
      return;
    }
    WebhookPost post = posts.get(i);
    http.sendAsync(request(post), HttpResponse.BodyHandlers.discarding())
        .whenCompleteAsync(
            (response, error) -> answered(batch, i, startedAt, response, error), lane);
  }

  private void answered(
      Batch batch, int i, long startedAt, HttpResponse<Void> response, Throwable error) {
    WebhookPost post = batch.posts().get(i);
    Outcome outcome = error != null ? Outcome.RETRY : outcome(response.statusCode());
    if (outcome == Outcome.RETRY) {
      failed(post, response, error);
      handBack(batch, batch.posts().subList(i, batch.posts().size()));
      return;
    }
    pending.decrementAndGet();
    if (outcome == Outcome.DELIVERED) {
      delivered.inc();
      if (failuresInARow > 0) {
        LOG.info("Alert webhook {} accepts posts again", settings.redactedUrl());
      }
      failuresInARow = 0;
    } else {
      rejected.inc();
      LOG.warn(
          "Alert webhook {} refused {} with HTTP {}; it is not sent again",
          settings.redactedUrl(),
          post.idempotencyKey(),
          response.statusCode());
    }
    send(batch, i + 1, startedAt);
  }

  private void failed(WebhookPost post, HttpResponse<Void> response, Throwable error) {
    failures.inc();
    failuresInARow++;
    long delay = settings.backoff(failuresInARow).toMillis();
    nextAttemptAt = System.currentTimeMillis() + delay;
    String why =
        error != null
            ? error.getClass().getSimpleName() + " (" + error.getMessage() + ")"
            : "HTTP " + response.statusCode();
    if (failuresInARow == 1 || failuresInARow % 10 == 0) {
      LOG.warn(
          "Alert webhook {} failed {} time(s) in a row, last on {}: {}; {} versions pending,"
              + " next try in {} ms",
          settings.redactedUrl(),
          failuresInARow,
          post.idempotencyKey(),
          why,
          pending.get(),
          delay);
    }
  }

  /**
   * Returns {@code rest} of {@code failed} (or nothing) and every queued batch to the base's
   * buffer. Each return is put at the head of the buffer when its mail runs, in call order; so the
   * last batch goes first, and the buffer ends up in the original order.
   */
  private void handBack(Batch failed, List<WebhookPost> rest) {
    while (!queue.isEmpty()) {
      Batch b = queue.pollLast();
      b.result().retryForEntries(new ArrayList<>(b.posts()));
    }
    if (failed != null) {
      failed.result().retryForEntries(new ArrayList<>(rest));
    }
    busy = false;
  }

  private HttpRequest request(WebhookPost post) {
    return HttpRequest.newBuilder(settings.url())
        .timeout(settings.requestTimeout())
        .header("Content-Type", "application/json; charset=utf-8")
        .header("Idempotency-Key", post.idempotencyKey())
        .header("User-Agent", "xingan-kpi-alert-webhook")
        .POST(HttpRequest.BodyPublishers.ofByteArray(post.body()))
        .build();
  }

  /** 2xx delivered; 400, 413, 415, 422 refuse this body for good; all else is worth a retry. */
  static Outcome outcome(int status) {
    if (status >= 200 && status < 300) {
      return Outcome.DELIVERED;
    }
    return switch (status) {
      case 400, 413, 415, 422 -> Outcome.REJECTED;
      default -> Outcome.RETRY;
    };
  }

  /** Batches never wait for each other in the base: the lane above orders them. */
  private record NeverBlock(int maxBatchSize) implements RateLimitingStrategy {
    @Override
    public void registerInFlightRequest(RequestInfo requestInfo) {}

    @Override
    public void registerCompletedRequest(ResultInfo resultInfo) {}

    @Override
    public boolean shouldBlock(RequestInfo requestInfo) {
      return false;
    }

    @Override
    public int getMaxBatchSize() {
      return maxBatchSize;
    }
  }
}
