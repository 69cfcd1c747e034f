package cn.xingan.kpi.job;

/**
 * A 128-bit hash of an event id, as two 64-bit halves computed over the id's chars by two different
 * functions. A BATCH run (a backfill) remembers the ids it has seen as these hashes ({@link
 * IdHashSet}): two distinct ids of a year of the League's events (~15M) share all 128 bits with a
 * probability of about 10⁻²⁴, far below that of a random UUID repeating. The first half also
 * spreads the ids over the set's slots, the second over the subtasks.
 */
final class IdHash {
  private IdHash() {}

  /** The first half: FNV-1a over the id's chars, then MurmurHash3's 64-bit finalizer. */
  static long of(String id) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < id.length(); i++) {
      h ^= id.charAt(i);
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }

  /**
   * The second half: a polynomial hash with another multiplier and seed, then SplitMix64's
   * finalizer (other constants than the first half's, so the halves do not move together).
   */
  static long second(String id) {
    long h = 0x9e3779b97f4a7c15L;
    for (int i = 0; i < id.length(); i++) {
      h = (h + id.charAt(i)) * 0xd6e8feb86659fd93L;
    }
    h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
    h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
    return h ^ (h >>> 31);
  }
}
