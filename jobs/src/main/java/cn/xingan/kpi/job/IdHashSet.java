package cn.xingan.kpi.job;

/**
 * The event ids a BATCH run has seen, as their 128-bit {@link IdHash}es in one open-addressing
 * table (linear probing, at most two thirds full): 16 bytes a slot, so 24 to 48 bytes per id, and
 * no object per id for the garbage collector to trace. A {@code HashSet<String>} of the same 2M ids
 * made the backfill slower than the sort it was to replace (old-generation collections throughout);
 * this table made it 2.3× faster (see benchmarks/RESULTS.md).
 */
final class IdHashSet {
  private static final int FIRST_CAPACITY = 1 << 12;

  /**
   * Slot {@code i} holds the halves at {@code 2i} and {@code 2i + 1}; a first half of 0 is free.
   */
  private long[] slots = new long[2 * FIRST_CAPACITY];

  private int size;

  private final IdHash.Halves adder = this::add;

  /** Adds the id; whether it was new (the first event of that id). */
  boolean add(String id) {
    return IdHash.both(id, adder);
  }

  /** Adds a hash given as its halves; whether it was new. */
  boolean add(long first, long second) {
    if (first == 0) {
      first = 1; // 0 marks a free slot; one hash value of 2^64 is folded into its neighbour
    }
    int mask = slots.length / 2 - 1;
    for (int i = (int) first & mask; ; i = (i + 1) & mask) {
      long held = slots[2 * i];
      if (held == 0) {
        slots[2 * i] = first;
        slots[2 * i + 1] = second;
        if (++size * 3L > 2L * (mask + 1)) {
          grow();
        }
        return true;
      }
      if (held == first && slots[2 * i + 1] == second) {
        return false;
      }
    }
  }

  int size() {
    return size;
  }

  private void grow() {
    long[] old = slots;
    slots = new long[old.length * 2];
    int mask = slots.length / 2 - 1;
    for (int j = 0; j < old.length; j += 2) {
      if (old[j] != 0) {
        int i = (int) old[j] & mask;
        while (slots[2 * i] != 0) {
          i = (i + 1) & mask;
        }
        slots[2 * i] = old[j];
        slots[2 * i + 1] = old[j + 1];
      }
    }
  }
}
