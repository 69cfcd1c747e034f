package cn.xingan.kpi.job;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
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

  /** The group {@link #keep} added to last, and its key; {@code null} once it may be gone. */
  private Long lastKey;

  private List<String> lastGroup;

  /**
   * Whether a group's list may name an id no longer held under it (forgotten alone, or kept again
   * under another time): only then does {@link #groups} look each id up. Normally ids are only
   * added and whole groups dropped, and a checkpoint of millions of ids need not do a lookup per id
   * on the task's thread.
   */
  private boolean stale;

  boolean contains(String id) {
    return untilById.containsKey(id);
  }

  /** Holds the id until the watermark reaches {@code until}. */
  void keep(String id, long until) {
    if (lastKey == null || lastKey != until) { // most events share the previous event's group
      lastKey = until;
      lastGroup = byUntil.computeIfAbsent(lastKey, u -> new ArrayList<>());
    }
    Long before = untilById.put(id, lastKey); // one Long per group, not one per id
    stale |= before != null;
    lastGroup.add(id);
  }

  void forget(String id) {
    stale |= untilById.remove(id) != null;
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
    lastKey = null;
  }

  int size() {
    return untilById.size();
  }

  /**
   * The ids held, as (until, ids) groups: what a checkpoint keeps. Ids forgotten or kept again
   * since are dropped from their old group's list here.
   */
  List<Tuple2<Long, String[]>> groups() {
    List<Tuple2<Long, String[]>> groups = new ArrayList<>(byUntil.size());
    if (!stale) {
      byUntil.forEach((until, ids) -> groups.add(Tuple2.of(until, ids.toArray(String[]::new))));
      return groups;
    }
    stale = false;
    for (Iterator<Map.Entry<Long, List<String>>> it = byUntil.entrySet().iterator();
        it.hasNext(); ) {
      Map.Entry<Long, List<String>> group = it.next();
      String[] held =
          group.getValue().stream()
              .filter(id -> group.getKey().equals(untilById.get(id)))
              .toArray(String[]::new);
      if (held.length < group.getValue().size()) {
        lastKey = null; // its list is replaced or gone
      }
      if (held.length == 0) {
        it.remove();
      } else {
        if (held.length < group.getValue().size()) {
          group.setValue(new ArrayList<>(List.of(held)));
        }
        groups.add(Tuple2.of(group.getKey(), held));
      }
    }
    return groups;
  }
}
