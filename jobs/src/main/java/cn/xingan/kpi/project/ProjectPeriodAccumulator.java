package cn.xingan.kpi.project;

import cn.xingan.kpi.events.Milestone;
import cn.xingan.kpi.kpi.PeriodAccumulator;
import java.util.HashMap;
import java.util.Map;

/**
 * The flow figures of one period and scope: investment in the period, and per project how many of
 * its facts in the period are reports and milestones of each kind. Counters rather than flags, so a
 * retraction can take one back: a project counts as reporting (or as reaching a milestone) while
 * its counter is above zero. The row's version comes from the scope's stock, not from {@code
 * events} here (see {@link ProjectKpiFunction}). A Flink POJO.
 */
public class ProjectPeriodAccumulator extends PeriodAccumulator {
  static final int REPORTED = 0;

  public long investmentCents;

  /** Per project: [reports, then one counter per milestone kind in declaration order]. */
  public Map<String, int[]> projects = new HashMap<>();

  /** Whether the final row is out (the period is kept for events released into it). */
  public boolean closed;

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public void close() {
    closed = true;
  }

  void add(ProjectFact f) {
    int sign = f.sign();
    investmentCents = Money.add(investmentCents, sign * f.investmentCents());
    if (!f.isReport() && f.milestone() == null) {
      return;
    }
    int[] c = projects.computeIfAbsent(f.projectId(), p -> new int[1 + Milestone.values().length]);
    if (f.isReport()) {
      c[REPORTED] += sign;
    }
    if (f.milestone() != null) {
      c[index(f.milestone())] += sign;
    }
    boolean none = true;
    for (int n : c) {
      none &= n == 0;
    }
    if (none) {
      projects.remove(f.projectId());
    }
  }

  /** The projects whose counter {@code i} is above zero. */
  long count(int i) {
    return projects.values().stream().filter(c -> c[i] > 0).count();
  }

  static int index(Milestone m) {
    return 1 + m.ordinal();
  }
}
