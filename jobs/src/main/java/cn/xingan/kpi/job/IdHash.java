package cn.xingan.kpi.job;

/**
 * A 128-bit hash of an event id, as two 64-bit halves computed over the id's chars by two different
 * functions. A BATCH run (a backfill) remembers the ids it has seen as these hashes ({@link
 * IdHashSet}): two distinct ids of a year of the League's events (~15M) share all 128 bits with a
 * probability of about 10⁻²⁴, far below that of a random UUID repeating. The first half also
 * spreads the ids over the set's slots, the second over the subtasks.
 *
 * <p>The halves are kept in checkpoints ({@link RecentIds}), so their values never change; {@link
 * #both} only computes the same two values in one pass, the two multiply chains side by side.
 */
final class IdHash {
  private static final long FIRST_SEED = 0xcbf29ce484222325L;
  private static final long SECOND_SEED = 0x9e3779b97f4a7c15L;

  private IdHash() {}

  /** What takes both halves of an id's hash. */
  @FunctionalInterface
  interface Halves {
    boolean accept(long first, long second);
  }

  /** The first half: FNV-1a over the id's chars, then MurmurHash3's 64-bit finalizer. */
  static long of(String id) {
    long h = FIRST_SEED;
    for (int i = 0; i < id.length(); i++) {
      h = firstStep(h, id.charAt(i));
    }
    return finishFirst(h);
  }

  /**
   * The second half: a polynomial hash with another multiplier and seed, then SplitMix64's
   * finalizer (other constants than the first half's, so the halves do not move together).
   */
  static long second(String id) {
    long h = SECOND_SEED;
    for (int i = 0; i < id.length(); i++) {
      h = secondStep(h, id.charAt(i));
    }
    return finishSecond(h);
  }

  /** Both halves, {@code of(id)} and {@code second(id)}, from one pass over the chars. */
  static boolean both(String id, Halves to) {
    long first = FIRST_SEED;
    long second = SECOND_SEED;
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      first = firstStep(first, c);
      second = secondStep(second, c);
    }
    return to.accept(finishFirst(first), finishSecond(second));
  }

  private static long firstStep(long h, char c) {
    return (h ^ c) * 0x100000001b3L;
  }

  private static long finishFirst(long h) {
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    return h ^ (h >>> 33);
  }

  private static long secondStep(long h, char c) {
    return (h + c) * 0xd6e8feb86659fd93L;
  }

  private static long finishSecond(long h) {
    h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
    h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
    return h ^ (h >>> 31);
  }
}
