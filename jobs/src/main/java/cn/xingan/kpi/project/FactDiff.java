package cn.xingan.kpi.project;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a project's scopes must be told when its history changes: the facts of the old history that
 * the new one lacks, taken back, and the new ones. Facts both histories share cancel out, so an
 * event that arrives in order sends exactly its own facts, and a late one only what it changes;
 * either way the result depends on the two histories alone, not on when the tracker looked.
 */
final class FactDiff {
  private FactDiff() {}

  static List<ProjectFact> between(List<ProjectFact> before, List<ProjectFact> after) {
    Map<ProjectFact, Integer> left = new HashMap<>();
    for (ProjectFact f : before) {
      left.merge(f, 1, Integer::sum);
    }
    List<ProjectFact> added = new ArrayList<>();
    for (ProjectFact f : after) {
      Integer n = left.get(f);
      if (n == null) {
        added.add(f);
      } else if (n == 1) {
        left.remove(f);
      } else {
        left.put(f, n - 1);
      }
    }
    List<ProjectFact> diff = new ArrayList<>();
    for (ProjectFact f : before) {
      Integer n = left.get(f);
      if (n != null) {
        diff.add(f.retraction());
        if (n == 1) {
          left.remove(f);
        } else {
          left.put(f, n - 1);
        }
      }
    }
    diff.addAll(added);
    return diff;
  }
}
