package cn.xingan.kpi.job;

import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.flink.api.java.tuple.Tuple2;

/**
 * The event ids {@link DropDuplicates} holds, each with its key group and the time it may be
 * forgotten. An id is held as a 128-bit hash of its characters in an open-addressing table (two
 * longs and an int a slot), not as a {@code String} in a {@code HashMap}: 15M ids of a busy day
 * were 1.5 GB of small objects whose young-generation copies paused the task 1–1.8 s in every 10 s,
 * and a checkpoint of them cost seconds. Two ids share a hash with a probability of about n²/2¹²⁹
 * (10⁻²⁴ for 15M ids).
 *
 * <p>Ids forgotten at the same time (a day's events share it) share a group number in their slot,
 * so when the watermark passes that time the survivors are copied into a fresh table at once,
 * without a timer or a lookup per id. That fresh table is sized for the most ids held since the
 * previous expiry, not for the survivors alone: at a steady rate the next day brings as many, so
 * the table keeps its size instead of halving at every expiry and doubling again during the day
 * (which made the heap one or two times the ids' size depending on the hour it was looked at).
 */
final class RecentIds {
  /** Ids of one group in one element of {@link #groups()}: three longs each. */
  static final int IDS_PER_CHUNK = 1 << 16;

  /** Group numbers fit in the upper 16 bits of a slot's tag, key groups (< 2¹⁵) in the lower. */
  private static final int MAX_GROUPS = (1 << 16) - 1;

  private static final int MIN_CAPACITY = 1 << 10;

  /** Two longs a slot: the id's hash. */
  private long[] hashes;

  /** A slot's (group number + 1) << 16 | key group; 0 for an empty slot. */
  private int[] tags;

  private int size;

  /** By group number − 1: the time its ids may be forgotten, {@code null} for a free number. */
  private final List<Long> untilOfGroup = new ArrayList<>();

  /** Group numbers (+ 1) by the time their ids may be forgotten. */
  private final NavigableMap<Long, Integer> groupOfUntil = new TreeMap<>();

  /** The group {@link #keepIfNew} added to last, and its time (most events share the previous). */
  private long lastUntil = Long.MIN_VALUE;

  private int lastGroup;

  RecentIds() {
    allocate(MIN_CAPACITY);
  }

  boolean contains(String id) {
    return find(IdHash.of(id), IdHash.second(id)) >= 0;
  }

  /**
   * Holds the id, of this key group, until the watermark reaches {@code until}, unless it is held
   * already: then returns {@code false} and changes nothing.
   */
  boolean keepIfNew(String id, int keyGroup, long until) {
    return keepIfNew(IdHash.of(id), IdHash.second(id), keyGroup, until);
  }

  /** As {@link #keepIfNew(String, int, long)}, for an id's hash from {@link #groups()}. */
  boolean keepIfNew(long h1, long h2, int keyGroup, long until) {
    int slot = slotOf(h1);
    int mask = tags.length - 1;
    while (tags[slot] != 0) {
      if (hashes[2 * slot] == h1 && hashes[2 * slot + 1] == h2) {
        return false;
      }
      slot = (slot + 1) & mask;
    }
    hashes[2 * slot] = h1;
    hashes[2 * slot + 1] = h2;
    tags[slot] = group(until) << 16 | keyGroup;
    if (++size > maxLoad(tags.length)) {
      rebuild(tags.length * 2, null);
    }
    return true;
  }

  /** Forgets one id now (an earlier form's timer fired for it). */
  void forget(String id) {
    int slot = find(IdHash.of(id), IdHash.second(id));
    if (slot < 0) {
      return;
    }
    // Backward-shift deletion: move up later entries of the probe run that may sit in the hole.
    int mask = tags.length - 1;
    int hole = slot;
    for (int next = (hole + 1) & mask; tags[next] != 0; next = (next + 1) & mask) {
      int home = slotOf(hashes[2 * next]);
      if (((next - home) & mask) >= ((next - hole) & mask)) { // its home is at or before the hole
        hashes[2 * hole] = hashes[2 * next];
        hashes[2 * hole + 1] = hashes[2 * next + 1];
        tags[hole] = tags[next];
        hole = next;
      }
    }
    tags[hole] = 0;
    size--;
  }

  /** Forgets every id held until this watermark or earlier. */
  void forgetUntil(long watermark) {
    NavigableMap<Long, Integer> due = groupOfUntil.headMap(watermark, true);
    if (due.isEmpty()) {
      return;
    }
    boolean[] gone = new boolean[untilOfGroup.size() + 1];
    for (int group : due.values()) {
      gone[group] = true;
      untilOfGroup.set(group - 1, null);
    }
    due.clear();
    lastUntil = Long.MIN_VALUE;
    // Sized for the ids held now, the survivors' upper bound: never larger than the table is.
    rebuild(capacityHolding(size), gone);
  }

  int size() {
    return size;
  }

  /** The table's slots (for tests of its sizing). */
  int capacity() {
    return tags.length;
  }

  /**
   * The ids held, as (until, [hash, hash, key group]…) chunks of at most {@value #IDS_PER_CHUNK}
   * ids of one group: what a checkpoint keeps.
   */
  List<Tuple2<Long, long[]>> groups() {
    int[] count = new int[untilOfGroup.size() + 1];
    for (int tag : tags) {
      count[tag >>> 16]++;
    }
    long[][] chunkOf = new long[count.length][];
    int[] filled = new int[count.length];
    List<Tuple2<Long, long[]>> chunks = new ArrayList<>();
    for (int slot = 0; slot < tags.length; slot++) {
      int group = tags[slot] >>> 16;
      if (group == 0) {
        continue;
      }
      if (chunkOf[group] == null || filled[group] == chunkOf[group].length) {
        int ids = Math.min(count[group], IDS_PER_CHUNK);
        count[group] -= ids;
        chunkOf[group] = new long[3 * ids];
        filled[group] = 0;
        chunks.add(Tuple2.of(untilOfGroup.get(group - 1), chunkOf[group]));
      }
      long[] chunk = chunkOf[group];
      int at = filled[group];
      chunk[at] = hashes[2 * slot];
      chunk[at + 1] = hashes[2 * slot + 1];
      chunk[at + 2] = tags[slot] & 0xFFFF;
      filled[group] = at + 3;
    }
    return chunks;
  }

  private int group(long until) {
    if (until == lastUntil) {
      return lastGroup;
    }
    Integer group = groupOfUntil.get(until);
    if (group == null) {
      int free = untilOfGroup.indexOf(null);
      if (free < 0) {
        if (untilOfGroup.size() == MAX_GROUPS) {
          throw new IllegalStateException(
              "more than " + MAX_GROUPS + " distinct times to forget ids at are held");
        }
        untilOfGroup.add(until);
        group = untilOfGroup.size();
      } else {
        untilOfGroup.set(free, until);
        group = free + 1;
      }
      groupOfUntil.put(until, group);
    }
    lastUntil = until;
    lastGroup = group;
    return group;
  }

  private int find(long h1, long h2) {
    int mask = tags.length - 1;
    for (int slot = slotOf(h1); tags[slot] != 0; slot = (slot + 1) & mask) {
      if (hashes[2 * slot] == h1 && hashes[2 * slot + 1] == h2) {
        return slot;
      }
    }
    return -1;
  }

  private int slotOf(long h1) {
    return (int) (h1 ^ (h1 >>> 32)) & (tags.length - 1);
  }

  /** The capacity at which {@code ids} fit without {@link #keepIfNew} growing the table. */
  private static int capacityHolding(int ids) {
    int capacity = MIN_CAPACITY;
    while (ids > maxLoad(capacity)) {
      capacity *= 2;
    }
    return capacity;
  }

  /** The most ids a table of this capacity holds before {@link #keepIfNew} doubles it. */
  private static int maxLoad(int capacity) {
    return capacity / 4 * 3;
  }

  private void allocate(int capacity) {
    hashes = new long[2 * capacity];
    tags = new int[capacity];
  }

  /** Copies the ids, except those of the groups marked gone, into a table of this capacity. */
  private void rebuild(int capacity, boolean[] gone) {
    long[] oldHashes = hashes;
    int[] oldTags = tags;
    allocate(capacity);
    size = 0;
    int mask = capacity - 1;
    for (int old = 0; old < oldTags.length; old++) {
      int tag = oldTags[old];
      if (tag == 0 || (gone != null && gone[tag >>> 16])) {
        continue;
      }
      long h1 = oldHashes[2 * old];
      int slot = slotOf(h1);
      while (tags[slot] != 0) {
        slot = (slot + 1) & mask;
      }
      hashes[2 * slot] = h1;
      hashes[2 * slot + 1] = oldHashes[2 * old + 1];
      tags[slot] = tag;
      size++;
    }
  }
}
