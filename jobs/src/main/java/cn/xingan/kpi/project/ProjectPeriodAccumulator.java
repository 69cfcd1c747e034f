package cn.xingan.kpi.project;

import cn.xingan.kpi.events.Milestone;
import java.util.HashMap;
import java.util.Map;

/**
 * The flow figures of one period and scope: investment in the period, and which projects reported
 * and reached which milestone in it (a bit set per project, so each counts once). A Flink POJO.
 */
public class ProjectPeriodAccumulator {
  static final int REPORTED = 1;

  public long investmentCents;
  public Map<String, Integer> projects = new HashMap<>();

  /** {@code events} of the stock when the row was last emitted: re-emit only when it grew. */
  public long emittedEvents = -1;

  void add(ProjectFact f) {
    investmentCents = Money.add(investmentCents, f.investmentCents());
    int bits = 0;
    if (f.isReport()) {
      bits |= REPORTED;
    }
    if (f.milestone() != null) {
      bits |= bit(f.milestone());
    }
    if (bits != 0) {
      projects.merge(f.projectId(), bits, (a, b) -> a | b);
    }
  }

  long count(int bit) {
    return projects.values().stream().filter(b -> (b & bit) != 0).count();
  }

  static int bit(Milestone m) {
    return 2 << m.ordinal();
  }
}
