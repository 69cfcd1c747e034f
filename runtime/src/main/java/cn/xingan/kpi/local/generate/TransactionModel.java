package cn.xingan.kpi.local.generate;

import java.time.Instant;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The random model behind the service-transaction stream. Time is cut into half-hour buckets; each
 * bucket draws its transactions from its own {@link SplittableRandom} seeded by (seed, bucket), so
 * any bucket can be regenerated alone and any window of the stream is the same whichever way it is
 * reached.
 *
 * <p>Arrivals: online requests come around the clock, following a daytime-heavy curve; requests at
 * the window, the one-stop police stations and by mail are accepted by a clerk between 08:30 and
 * 17:30 local time, every day of the week. Over a whole local day the expected number of accepted
 * transactions is 24 × the hourly rate. Outcomes: a few percent are rejected within two days; of
 * the rest most complete well inside the promised days, some late by up to 60% more; online and
 * mail requests mostly need no visit, office requests one; a bit over half the citizens rate the
 * service, mostly 4–5.
 */
final class TransactionModel {

  static final long BUCKET_SECONDS = 1_800;
  static final int OFFICE_OPENS = 8 * 3_600 + 1_800;
  static final int OFFICE_CLOSES = 17 * 3_600 + 1_800;
  private static final long DAY = 86_400;
  private static final double LATE_EXTRA = 0.6;
  private static final long MIN_DURATION = 300;

  /** Cumulative shares of ratings 5, 4, 3, 2 (the rest is 1): about 92% positive when on time. */
  private static final double[] RATINGS_ON_TIME = {0.70, 0.92, 0.97, 0.99};

  private static final double[] RATINGS_LATE = {0.35, 0.65, 0.85, 0.95};

  /** Relative online arrivals per local hour; normalized to mean 1 in the constructor. */
  private static final double[] ONLINE_CURVE = {
    0.15, 0.1, 0.1, 0.1, 0.15, 0.3, 0.6, 1.0, 1.5, 1.8, 1.9, 1.7,
    1.3, 1.4, 1.8, 1.8, 1.7, 1.5, 1.3, 1.2, 1.1, 0.9, 0.6, 0.3
  };

  private final long seed;
  private final ZoneRules rules;
  private final ServiceItem[] services;
  private final ChannelMix online;
  private final ChannelMix office;
  private final double[] countyCumulative;
  private final double[] onlineCurve;
  private final long maxDurationSeconds;

  TransactionModel(long seed, ZoneRules rules, ServiceCatalog catalog) {
    this.seed = seed;
    this.rules = rules;
    this.services = catalog.services().toArray(ServiceItem[]::new);
    this.online = ChannelMix.of(catalog, services, false);
    this.office = ChannelMix.of(catalog, services, true);
    this.countyCumulative = cumulative(County.ALL.stream().mapToDouble(County::weight).toArray());
    double mean = Arrays.stream(ONLINE_CURVE).average().orElseThrow();
    this.onlineCurve = Arrays.stream(ONLINE_CURVE).map(w -> w / mean).toArray();
    long longest = 2 * DAY;
    for (ServiceItem s : services) {
      long promised = s.promisedDays() * DAY;
      longest = Math.max(longest, promised + 1 + (long) (promised * LATE_EXTRA));
    }
    this.maxDurationSeconds = longest;
  }

  ServiceItem service(int index) {
    return services[index];
  }

  int serviceCount() {
    return services.length;
  }

  /** No transaction takes longer than this from acceptance to outcome. */
  long maxDurationSeconds() {
    return maxDurationSeconds;
  }

  /** All transactions accepted in {@code bucket}, in generation order. */
  List<SimulatedTransaction> bucket(long bucket, double transactionsPerHour) {
    SplittableRandom rng = new SplittableRandom(mix(seed, bucket));
    long start = bucket * BUCKET_SECONDS;
    int offset = rules.getOffset(Instant.ofEpochSecond(start)).getTotalSeconds();
    int localStart = (int) Math.floorMod(start + offset, DAY);
    int openFrom = Math.max(localStart, OFFICE_OPENS);
    int openSeconds =
        Math.max(0, Math.min(localStart + (int) BUCKET_SECONDS, OFFICE_CLOSES) - openFrom);
    double hours = BUCKET_SECONDS / 3_600.0;
    double onlineMean =
        transactionsPerHour * online.share() * onlineCurve[localStart / 3_600] * hours;
    double officeMean = transactionsPerHour * office.share() * (24.0 / 9) * openSeconds / 3_600.0;
    int onlineCount = poisson(rng, onlineMean);
    int officeCount = poisson(rng, officeMean);
    List<SimulatedTransaction> out = new ArrayList<>(onlineCount + officeCount);
    for (int i = 0; i < onlineCount; i++) {
      out.add(draw(rng, bucket, i, online, start + rng.nextLong(BUCKET_SECONDS)));
    }
    for (int i = 0; i < officeCount; i++) {
      long at = start + (openFrom - localStart) + rng.nextLong(openSeconds);
      out.add(draw(rng, bucket, onlineCount + i, office, at));
    }
    return out;
  }

  private SimulatedTransaction draw(
      SplittableRandom rng, long bucket, int index, ChannelMix mix, long acceptedAt) {
    int pick = pick(mix.cumulative(), rng.nextDouble());
    int service = mix.services()[pick];
    Channel channel = mix.channels()[pick];
    int county = pick(countyCumulative, rng.nextDouble());
    ServiceItem item = services[service];
    long promised = item.promisedDays() * DAY;
    if (rng.nextDouble() < item.department().rejectShare()) {
      long window = Math.min(promised, 2 * DAY) - MIN_DURATION;
      long at = acceptedAt + MIN_DURATION + rng.nextLong(window);
      return new SimulatedTransaction(
          bucket, index, service, channel, county, acceptedAt, at, true, 0, 0);
    }
    boolean late = rng.nextDouble() < item.department().lateShare();
    long duration;
    if (late) {
      duration = promised + 1 + rng.nextLong((long) (promised * LATE_EXTRA));
    } else {
      // Skewed towards quick handling; one-day services mostly within hours.
      double u = rng.nextDouble();
      double share = item.promisedDays() <= 1 ? u * u * u : u * Math.sqrt(u);
      duration = Math.max(MIN_DURATION, (long) (share * promised));
    }
    return new SimulatedTransaction(
        bucket,
        index,
        service,
        channel,
        county,
        acceptedAt,
        acceptedAt + duration,
        false,
        visits(rng, channel),
        satisfaction(rng, channel, late));
  }

  private static int visits(SplittableRandom rng, Channel channel) {
    double u = rng.nextDouble();
    return switch (channel) {
      case ONLINE -> u < 0.95 ? 0 : 1;
      case MAIL -> u < 0.90 ? 0 : 1;
      case WINDOW, ONE_STOP_POLICE -> u < 0.82 ? 1 : u < 0.96 ? 2 : 3;
    };
  }

  private static int satisfaction(SplittableRandom rng, Channel channel, boolean late) {
    double respond = channel == Channel.ONLINE ? 0.65 : 0.5;
    if (rng.nextDouble() >= respond) {
      return 0;
    }
    double u = rng.nextDouble();
    double[] atLeast = late ? RATINGS_LATE : RATINGS_ON_TIME;
    for (int i = 0; i < atLeast.length; i++) {
      if (u < atLeast[i]) {
        return 5 - i;
      }
    }
    return 1;
  }

  /** A Poisson draw: exact for small means, normal approximation above 30. */
  static int poisson(SplittableRandom rng, double mean) {
    if (!(mean > 0)) {
      return 0;
    }
    if (mean < 30) {
      double limit = Math.exp(-mean);
      double product = rng.nextDouble();
      int k = 0;
      while (product > limit) {
        product *= rng.nextDouble();
        k++;
      }
      return k;
    }
    double gaussian =
        Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
    return (int) Math.max(0, Math.round(mean + Math.sqrt(mean) * gaussian));
  }

  /** Index of the first cumulative weight above {@code u × total}. */
  static int pick(double[] cumulative, double u) {
    double target = u * cumulative[cumulative.length - 1];
    int i = Arrays.binarySearch(cumulative, target);
    int index = i >= 0 ? i + 1 : -i - 1;
    return Math.min(index, cumulative.length - 1);
  }

  static double[] cumulative(double[] weights) {
    double[] out = new double[weights.length];
    double sum = 0;
    for (int i = 0; i < weights.length; i++) {
      sum += weights[i];
      out[i] = sum;
    }
    return out;
  }

  /** A stable 64-bit mix (the SplitMix64 finalizer) of the seed and a bucket number. */
  static long mix(long seed, long value) {
    long z = seed * 0x9E3779B97F4A7C15L + value;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** The (service, channel) pairs of one arrival kind with cumulative weights. */
  private record ChannelMix(int[] services, Channel[] channels, double[] cumulative, double share) {

    static ChannelMix of(ServiceCatalog catalog, ServiceItem[] services, boolean office) {
      List<Integer> serviceIndexes = new ArrayList<>();
      List<Channel> channels = new ArrayList<>();
      List<Double> weights = new ArrayList<>();
      for (int s = 0; s < services.length; s++) {
        for (Channel channel : Channel.values()) {
          double weight = catalog.share(services[s]) * services[s].channelShare(channel);
          if (channel.office() == office && weight > 0) {
            serviceIndexes.add(s);
            channels.add(channel);
            weights.add(weight);
          }
        }
      }
      double[] cumulative =
          TransactionModel.cumulative(weights.stream().mapToDouble(Double::doubleValue).toArray());
      return new ChannelMix(
          serviceIndexes.stream().mapToInt(Integer::intValue).toArray(),
          channels.toArray(Channel[]::new),
          cumulative,
          cumulative[cumulative.length - 1]);
    }
  }
}
