package cn.xingan.kpi.local.generate;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.function.Consumer;

/**
 * Realistic `service-transactions` events (CONTRACT.md §1) for the quickstart, tests and
 * benchmarks. Each transaction emits `accepted` when it arrives and later `completed` or
 * `rejected`; the model is described in {@link TransactionModel}.
 *
 * <p>The stream is a pure function of (seed, zone, rate): {@link #between} returns every event
 * whose event time falls in the window, <em>including</em> outcomes of transactions accepted before
 * the window (up to the longest processing time, about five weeks, earlier). So consecutive windows
 * {@code [a, b)}, {@code [b, c)} give exactly the events of {@code [a, c)}, and a live producer
 * sees completions from its first second. A call that continues where the previous one ended, at
 * the same rate, reuses the still-open transactions instead of replaying the lookback.
 *
 * <p>Record key: `transaction_id`; `event_id` is {@code <transaction_id>-<status>}. Transaction ids
 * carry a tag of the seed and the UTC start of the half hour they were accepted in, so replaying
 * the same seed over the same time yields the same ids (duplicates the job drops), while another
 * seed does not collide. Not thread-safe: one generator per producer thread.
 */
public final class ServiceTransactionGenerator {

  /** The Kafka topic and the backfill `stream` value. */
  public static final String STREAM = "service-transactions";

  private static final long CHUNK_SECONDS = 3_600;

  private final TransactionModel model;
  private final ZoneRules rules;
  private final String idPrefix;
  private final String[] serviceFields;
  private final String[] countyCodes;
  private final StringBuilder json = new StringBuilder(512);

  private PriorityQueue<SimulatedTransaction> open;
  private long continuesAt = Long.MIN_VALUE;
  private double continuesRate = Double.NaN;

  /** A generator over the standard League catalog. */
  public ServiceTransactionGenerator(long seed, ZoneId zone) {
    this(seed, zone, ServiceCatalog.standard());
  }

  public ServiceTransactionGenerator(long seed, ZoneId zone, ServiceCatalog catalog) {
    if (zone == null || catalog == null) {
      throw new IllegalArgumentException("zone and catalog must not be null");
    }
    this.rules = zone.getRules();
    this.model = new TransactionModel(seed, rules, catalog);
    this.idPrefix =
        String.format(Locale.ROOT, "st-%06x-", TransactionModel.mix(seed, 0) & 0xFFFFFF);
    this.serviceFields = new String[model.serviceCount()];
    for (int i = 0; i < serviceFields.length; i++) {
      serviceFields[i] = serviceFields(model.service(i));
    }
    this.countyCodes = County.ALL.stream().map(County::code).toArray(String[]::new);
  }

  /**
   * Every event with event time in [{@code from}, {@code to}), sorted by event time (ties in
   * generation order).
   *
   * @param transactionsPerHour mean accepted transactions per hour over a whole day
   */
  public List<GeneratedEvent> between(Instant from, Instant to, double transactionsPerHour) {
    List<GeneratedEvent> out = new ArrayList<>();
    window(check(from, to, transactionsPerHour), ceilSeconds(to), transactionsPerHour, out::add);
    return out;
  }

  /**
   * The same events as {@link #between}, handed over hour by hour so that memory stays bounded
   * however long the range is.
   */
  public void forEachBetween(
      Instant from, Instant to, double transactionsPerHour, Consumer<GeneratedEvent> sink) {
    long end = ceilSeconds(to);
    for (long t = check(from, to, transactionsPerHour); t < end; ) {
      long next = Math.min(end, Math.floorDiv(t, CHUNK_SECONDS) * CHUNK_SECONDS + CHUNK_SECONDS);
      window(t, next, transactionsPerHour, sink);
      t = next;
    }
  }

  private void window(long from, long to, double rate, Consumer<GeneratedEvent> sink) {
    boolean continues = open != null && from == continuesAt && rate == continuesRate;
    PriorityQueue<SimulatedTransaction> queue =
        continues ? open : new PriorityQueue<>(SimulatedTransaction.BY_OUTCOME_TIME);
    open = null;
    // Transactions accepted before `handled` were dealt with by the previous window.
    long handled = continues ? from : Long.MIN_VALUE;
    long firstBucket =
        Math.floorDiv(
            continues ? from : from - model.maxDurationSeconds(), TransactionModel.BUCKET_SECONDS);
    long lastBucket = Math.floorDiv(to - 1, TransactionModel.BUCKET_SECONDS);
    List<Emit> emits = new ArrayList<>();
    while (!queue.isEmpty() && queue.peek().outcomeAt < to) {
      emits.add(new Emit(queue.peek().outcomeAt, queue.poll(), true));
    }
    for (long b = firstBucket; b <= lastBucket; b++) {
      for (SimulatedTransaction t : model.bucket(b, rate)) {
        if (t.acceptedAt < handled || t.acceptedAt >= to) {
          continue;
        }
        if (t.acceptedAt >= from) {
          emits.add(new Emit(t.acceptedAt, t, false));
        }
        if (t.outcomeAt >= to) {
          queue.add(t);
        } else if (t.outcomeAt >= from) {
          emits.add(new Emit(t.outcomeAt, t, true));
        }
      }
    }
    emits.sort(Emit.ORDER);
    for (Emit e : emits) {
      sink.accept(event(e));
    }
    open = queue;
    continuesAt = to;
    continuesRate = rate;
  }

  private GeneratedEvent event(Emit e) {
    SimulatedTransaction t = e.transaction();
    String id = transactionId(t);
    String status = !e.outcome() ? "accepted" : t.rejected ? "rejected" : "completed";
    StringBuilder b = json;
    b.setLength(0);
    b.append("{\"event_id\":\"").append(id).append('-').append(status);
    JsonText.appendTime(b.append("\",\"event_time\":\""), e.at(), rules);
    b.append("\",\"transaction_id\":\"").append(id);
    b.append("\",\"status\":\"").append(status).append("\",").append(serviceFields[t.service]);
    b.append(",\"county\":\"").append(countyCodes[t.county]);
    b.append("\",\"channel\":\"").append(t.channel.code()).append('"');
    if (e.outcome() && !t.rejected) {
      JsonText.appendTime(b.append(",\"accepted_at\":\""), t.acceptedAt, rules).append('"');
      b.append(",\"visits\":").append(t.visits);
      if (t.satisfaction > 0) {
        b.append(",\"satisfaction\":").append(t.satisfaction);
      }
    }
    b.append('}');
    byte[] bytes = b.toString().getBytes(StandardCharsets.UTF_8);
    return new GeneratedEvent(id, bytes, Instant.ofEpochSecond(e.at()));
  }

  private String transactionId(SimulatedTransaction t) {
    LocalDateTime start =
        LocalDateTime.ofEpochSecond(t.bucket * TransactionModel.BUCKET_SECONDS, 0, ZoneOffset.UTC);
    StringBuilder b = new StringBuilder(32).append(idPrefix);
    JsonText.pad4(b, start.getYear());
    JsonText.pad2(b, start.getMonthValue());
    JsonText.pad2(b, start.getDayOfMonth()).append('T');
    JsonText.pad2(b, start.getHour());
    JsonText.pad2(b, start.getMinute()).append("Z-");
    String index = Integer.toString(t.index);
    for (int i = index.length(); i < 4; i++) {
      b.append('0');
    }
    return b.append(index).toString();
  }

  private static String serviceFields(ServiceItem s) {
    StringBuilder b = new StringBuilder(160);
    JsonText.appendQuoted(b.append("\"service_code\":"), s.code());
    JsonText.appendQuoted(b.append(",\"service_name\":"), s.nameZh());
    JsonText.appendQuoted(b.append(",\"department\":"), s.department().code());
    b.append(",\"statutory_days\":").append(s.statutoryDays());
    b.append(",\"promised_days\":").append(s.promisedDays());
    return b.toString();
  }

  private static long check(Instant from, Instant to, double rate) {
    if (from == null || to == null || to.isBefore(from)) {
      throw new IllegalArgumentException(
          "window ["
              + from
              + ", "
              + to
              + ") must have both ends and end no earlier than it starts");
    }
    if (!(rate >= 0) || Double.isInfinite(rate)) {
      throw new IllegalArgumentException(
          "transactions per hour " + rate + " must be a finite number >= 0");
    }
    return ceilSeconds(from);
  }

  /** Event times are whole seconds, so t >= x exactly when t >= ceil(x). */
  private static long ceilSeconds(Instant instant) {
    return instant.getNano() == 0 ? instant.getEpochSecond() : instant.getEpochSecond() + 1;
  }

  /** One event to write: a transaction's acceptance or its outcome, at epoch second {@code at}. */
  private record Emit(long at, SimulatedTransaction transaction, boolean outcome) {
    static final Comparator<Emit> ORDER =
        Comparator.comparingLong(Emit::at)
            .thenComparingLong(e -> e.transaction.bucket)
            .thenComparingInt(e -> e.transaction.index)
            .thenComparing(Emit::outcome);
  }
}
