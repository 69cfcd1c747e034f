package cn.xingan.kpi.bench.jmh;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs {@link DecoderJmh} and {@link PeriodAssignmentJmh} in one short JMH pass (one fork per
 * benchmark, a few warm-up and measurement iterations) so that a larger benchmark can report their
 * figures and the two ratios next to its own; {@code bin/bench jmh.JmhSuite [SECONDS]} prints them
 * alone. The forked JVMs inherit the host's class path and JVM options (JMH's default), so the
 * {@code --add-opens} of {@code bin/bench} reach them too.
 */
public final class JmhSuite {
  private static final int WARMUP_ITERATIONS = 7;
  private static final int MEASUREMENT_ITERATIONS = 5;

  /**
   * The default per benchmark method: four methods take about 75 s here (fork start and set-up
   * included).
   */
  public static final Duration DEFAULT_BUDGET = Duration.ofSeconds(15);

  private JmhSuite() {}

  /** One benchmark method's score: {@code error} is JMH's 99.9% confidence half-width. */
  public record Score(String name, double score, double error, String unit) {
    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%-36s %,14.0f ± %,11.0f %s", name, score, error, unit);
    }
  }

  /**
   * The scores, and how many times longer the slower way takes per event than the faster one
   * (throughput of the faster over throughput of the slower), with a propagated error.
   */
  public record Report(
      List<Score> scores,
      double decoderOverParse,
      double decoderOverParseError,
      double perEventOverCachedDay,
      double perEventOverCachedDayError) {

    public Score score(String name) {
      return scores.stream()
          .filter(s -> s.name().equals(name))
          .findFirst()
          .orElseThrow(() -> new IllegalArgumentException("no JMH score named " + name));
    }

    public void print(PrintStream out) {
      scores.forEach(out::println);
      out.printf(
          Locale.ROOT,
          "ratio decoder / Jackson readTree            %.2f ± %.2f x the time per event%n",
          decoderOverParse,
          decoderOverParseError);
      out.printf(
          Locale.ROOT,
          "ratio per-event periods / cached local day  %.2f ± %.2f x the time per event%n",
          perEventOverCachedDay,
          perEventOverCachedDayError);
    }
  }

  /** Runs the suite quietly, spending about {@code perBenchmarkBudget} on each method. */
  public static Report run(Duration perBenchmarkBudget) throws RunnerException {
    return run(perBenchmarkBudget, null);
  }

  /**
   * @param progress where JMH's own progress goes, {@code null} for none
   */
  public static Report run(Duration perBenchmarkBudget, PrintStream progress)
      throws RunnerException {
    long iterationMillis =
        perBenchmarkBudget.toMillis() / (WARMUP_ITERATIONS + MEASUREMENT_ITERATIONS);
    if (iterationMillis < 100) {
      throw new IllegalArgumentException(
          "JMH budget "
              + perBenchmarkBudget
              + " per benchmark is too short; expected at least "
              + Duration.ofMillis(100L * (WARMUP_ITERATIONS + MEASUREMENT_ITERATIONS)));
    }
    TimeValue iteration = TimeValue.milliseconds(iterationMillis);
    Options options =
        new OptionsBuilder()
            .include(Pattern.quote(DecoderJmh.class.getName()) + "\\.")
            .include(Pattern.quote(PeriodAssignmentJmh.class.getName()) + "\\.")
            .forks(1)
            .warmupIterations(WARMUP_ITERATIONS)
            .warmupTime(iteration)
            .measurementIterations(MEASUREMENT_ITERATIONS)
            .measurementTime(iteration)
            .timeUnit(TimeUnit.SECONDS)
            .shouldFailOnError(true)
            .verbosity(progress == null ? VerboseMode.SILENT : VerboseMode.NORMAL)
            .build();
    Runner runner =
        progress == null
            ? new Runner(options)
            : new Runner(
                options, OutputFormatFactory.createFormatInstance(progress, VerboseMode.NORMAL));
    return report(runner.run());
  }

  static Report report(Collection<RunResult> results) {
    List<Score> scores = new ArrayList<>();
    for (RunResult r : results) {
      String benchmark = r.getParams().getBenchmark();
      Result<?> primary = r.getPrimaryResult();
      scores.add(
          new Score(
              benchmark.substring(benchmark.lastIndexOf('.', benchmark.lastIndexOf('.') - 1) + 1),
              primary.getScore(),
              primary.getScoreError(),
              primary.getScoreUnit()));
    }
    Report partial = new Report(List.copyOf(scores), 0, 0, 0, 0);
    double[] decoder =
        slowdown(partial.score("DecoderJmh.jacksonReadTree"), partial.score("DecoderJmh.decoder"));
    double[] periods =
        slowdown(
            partial.score("PeriodAssignmentJmh.cachedDay"),
            partial.score("PeriodAssignmentJmh.perEventPeriods"));
    return new Report(List.copyOf(scores), decoder[0], decoder[1], periods[0], periods[1]);
  }

  /**
   * Time per op of {@code slow} over that of {@code fast}, from throughputs, ± first order error.
   */
  private static double[] slowdown(Score fast, Score slow) {
    double ratio = fast.score() / slow.score();
    double rel = Math.hypot(relative(fast), relative(slow));
    return new double[] {ratio, ratio * rel};
  }

  private static double relative(Score s) {
    return Double.isNaN(s.error()) ? 0 : s.error() / s.score();
  }

  /** {@code bin/bench jmh.JmhSuite [SECONDS per benchmark method]}; progress goes to stderr. */
  public static void main(String[] args) throws RunnerException {
    Duration budget = DEFAULT_BUDGET;
    if (args.length > 0) {
      try {
        budget = Duration.ofSeconds(Long.parseLong(args[0]));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "JMH budget '" + args[0] + "' is not a whole number of seconds per benchmark", e);
      }
    }
    double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    long t0 = System.nanoTime();
    Report report = run(budget, System.err);
    System.out.printf(
        Locale.ROOT,
        "JMH, 1 fork, %d+%d iterations of %d ms per method, %.0f s in all;"
            + " load average %.2f before, %.2f after on %d cores%n",
        WARMUP_ITERATIONS,
        MEASUREMENT_ITERATIONS,
        budget.toMillis() / (WARMUP_ITERATIONS + MEASUREMENT_ITERATIONS),
        (System.nanoTime() - t0) / 1e9,
        loadBefore,
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
        Runtime.getRuntime().availableProcessors());
    report.print(System.out);
  }
}
