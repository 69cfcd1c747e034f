package cn.xingan.kpi.bench.pipeline;

import java.util.ArrayList;
import java.util.List;

/**
 * What one benchmark run measured: the throughput figures, the goals (each a ratio of two figures
 * of the same run, or a latency or count against its target), the checks that the runs computed the
 * right numbers, and notes. Printed as it goes and, on request, as {@code RESULTS.md}.
 */
final class Report {
  record Figure(String name, long events, double seconds, String note) {
    double perSecond() {
      return events / seconds;
    }
  }

  /** A goal: {@code value} against {@code target}, at least ({@code atLeast}) or at most. */
  record Goal(String name, double value, boolean atLeast, double target, String how) {
    boolean met() {
      return atLeast ? value >= target : value <= target;
    }

    String line() {
      return String.format(
          "%-52s %8.2f  %s %-6s %s   (%s)",
          name, value, atLeast ? ">=" : "<=", trim(target), met() ? "met" : "MISSED", how);
    }
  }

  private final List<Figure> figures = new ArrayList<>();
  private final List<Goal> goals = new ArrayList<>();
  private final List<String> checks = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private final List<String> profile = new ArrayList<>();

  Figure figure(String name, long events, double seconds, String note) {
    Figure f = new Figure(name, events, seconds, note);
    figures.add(f);
    System.out.println("  " + line(f));
    return f;
  }

  void goal(String name, double value, boolean atLeast, double target, String how) {
    Goal g = new Goal(name, value, atLeast, target, how);
    goals.add(g);
  }

  /** A check of the results: printed, and the run fails at the end if one failed. */
  void check(String what, boolean ok) {
    checks.add((ok ? "ok      " : "FAILED  ") + what);
    System.out.println("  check " + (ok ? "ok: " : "FAILED: ") + what);
  }

  void note(String line) {
    notes.add(line);
    System.out.println("  " + line);
  }

  void profile(List<String> lines) {
    profile.addAll(lines);
  }

  boolean checksPassed() {
    return checks.stream().noneMatch(c -> c.startsWith("FAILED"));
  }

  String text() {
    StringBuilder b = new StringBuilder("\n== figures (events/s) ==\n");
    figures.forEach(f -> b.append("  ").append(line(f)).append('\n'));
    b.append("\n== goals ==\n");
    goals.forEach(g -> b.append("  ").append(g.line()).append('\n'));
    b.append("\n== checks ==\n");
    checks.forEach(c -> b.append("  ").append(c).append('\n'));
    b.append("\n== notes ==\n");
    notes.forEach(n -> b.append("  ").append(n).append('\n'));
    if (!profile.isEmpty()) {
      b.append("\n== profile ==\n");
      profile.forEach(p -> b.append("  ").append(p).append('\n'));
    }
    return b.toString();
  }

  String markdown(String command, List<String> machine, String date) {
    StringBuilder b = new StringBuilder();
    b.append("# Benchmark results\n\n");
    b.append("Written by `").append(command).append("` on ").append(date).append(".\n");
    b.append("Read the ratios: absolute times vary from run to run on these machines, the ratio")
        .append(" of two figures measured in the same run much less.\n\n");
    b.append("## Machine\n\n");
    machine.forEach(m -> b.append("- ").append(m).append('\n'));
    b.append("\n## Goals\n\n| goal | measured | target | | how |\n|---|---:|---|---|---|\n");
    for (Goal g : goals) {
      b.append(
          String.format(
              "| %s | %.2f | %s %s | %s | %s |%n",
              g.name(),
              g.value(),
              g.atLeast() ? "≥" : "≤",
              trim(g.target()),
              g.met() ? "met" : "**missed**",
              g.how()));
    }
    b.append("\n## Figures\n\n| run | events | seconds | events/s | |\n|---|---:|---:|---:|---|\n");
    for (Figure f : figures) {
      b.append(
          String.format(
              "| %s | %,d | %.1f | %,.0f | %s |%n",
              f.name(), f.events(), f.seconds(), f.perSecond(), f.note()));
    }
    b.append("\n## Checks\n\n");
    checks.forEach(c -> b.append("- ").append(c.trim()).append('\n'));
    b.append("\n## Notes\n\n");
    notes.forEach(n -> b.append("- ").append(n).append('\n'));
    if (!profile.isEmpty()) {
      b.append("\n## Profile\n\n```\n");
      profile.forEach(p -> b.append(p).append('\n'));
      b.append("```\n");
    }
    return b.toString();
  }

  private static String line(Figure f) {
    return String.format(
        "%-46s %,11d events %7.1f s %,9.0f /s  %s",
        f.name(), f.events(), f.seconds(), f.perSecond(), f.note());
  }

  private static String trim(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }
}
