package cn.xingan.kpi.job;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.flink.api.java.tuple.Tuple2;

/**
 * The event ids {@link DropDuplicates} holds, each with the time it may be forgotten. Ids that are
 * forgotten at the same time (a day's events share it) are grouped, so when the watermark passes
 * that time the group goes at once, without a timer or a lookup per id.
 */
final class RecentIds {
  private final Map<String, Long> untilById = new HashMap<>();

  /** Ids by the time they may be forgotten; an id kept again later may be listed twice. */
  private final NavigableMap<Long, List<String>> byUntil = new TreeMap<>();

  boolean contains(String id) {
    return untilById.containsKey(id);
  }

  /** Holds the id until the watermark reaches {@code until}. */
  void keep(String id, long until) {
    Map.Entry<Long, List<String>> group = byUntil.ceilingEntry(until);
    if (group == null || group.getKey() != until) {
      group = Map.entry(until, new ArrayList<>());
      byUntil.put(group.getKey(), group.getValue());
    }
    untilById.put(id, group.getKey());
    group.getValue().add(id);
  }

  void forget(String id) {
    untilById.remove(id);
  }

  /** Forgets every id held until this watermark or earlier. */
  void forgetUntil(long watermark) {
    NavigableMap<Long, List<String>> due = byUntil.headMap(watermark, true);
    for (Map.Entry<Long, List<String>> group : due.entrySet()) {
      for (String id : group.getValue()) {
        untilById.remove(id, group.getKey());
      }
    }
    due.clear();
  }

  int size() {
    return untilById.size();
  }

  /** The ids held, as (until, ids) groups: what a checkpoint keeps. */
  List<Tuple2<Long, String[]>> groups() {
    List<Tuple2<Long, String[]>> groups = new ArrayList<>(byUntil.size());
    for (Map.Entry<Long, List<String>> group : byUntil.entrySet()) {
      String[] held =
          group.getValue().stream()
              .filter(id -> group.getKey().equals(untilById.get(id)))
              .toArray(String[]::new);
      if (held.length > 0) {
        groups.add(Tuple2.of(group.getKey(), held));
      }
    }
    return groups;
  }
}
