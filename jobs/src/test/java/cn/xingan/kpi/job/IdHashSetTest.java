package cn.xingan.kpi.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdHashSetTest {
  private static final long FIRST_OF_SVC_000001 = -8535211616279859580L;
  private static final long SECOND_OF_SVC_000001 = -5389261850440781377L;

  @Test
  void anIdIsNewOnlyTheFirstTime() {
    IdHashSet ids = new IdHashSet();
    assertThat(ids.add("svc-1")).isTrue();
    assertThat(ids.add(new String("svc-1"))).isFalse();
    assertThat(ids.add("svc-2")).isTrue();
    assertThat(ids.add("svc-1")).isFalse();
    assertThat(ids.size()).isEqualTo(2);
  }

  /** Only both halves together make an id: halves shared with another id do not. */
  @Test
  void idsThatShareOneHalfAreToldApart() {
    IdHashSet ids = new IdHashSet();
    assertThat(ids.add(7L, 1L)).isTrue();
    assertThat(ids.add(7L, 2L)).isTrue();
    assertThat(ids.add(8L, 1L)).isTrue();
    assertThat(ids.add(7L, 2L)).isFalse();
    assertThat(ids.add(0L, 9L)).isTrue(); // a first half of 0 is kept, folded into 1
    assertThat(ids.add(0L, 9L)).isFalse();
    assertThat(ids.size()).isEqualTo(4);
  }

  /** Through many growths of the table, against a plain set of the same ids as the oracle. */
  @Test
  void agreesWithAHashSetOverRepeatsSpreadThroughAMillionIds() {
    IdHashSet ids = new IdHashSet();
    Set<String> oracle = new HashSet<>();
    Random random = new Random(42);
    for (int i = 0; i < 1_000_000; i++) {
      // a third of the events repeat an earlier id, anywhere before
      String id = "svc-" + (i % 3 == 2 ? random.nextInt(i) : i);
      assertThat(ids.add(id)).as(id).isEqualTo(oracle.add(id));
    }
    assertThat(ids.size()).isEqualTo(oracle.size());
  }

  @Test
  void theHalvesAreStableAndEachSpreadsSimilarIds() {
    assertThat(IdHash.of("svc-000001")).isEqualTo(IdHash.of(new String("svc-000001")));
    assertThat(IdHash.second("svc-000001")).isEqualTo(IdHash.second(new String("svc-000001")));
    Set<Long> first = new HashSet<>();
    Set<Long> second = new HashSet<>();
    long odd = 0;
    for (int i = 0; i < 100_000; i++) {
      first.add(IdHash.of("svc-" + i));
      second.add(IdHash.second("svc-" + i));
      odd += IdHash.second("svc-" + i) & 1;
    }
    assertThat(first).hasSize(100_000);
    assertThat(second).hasSize(100_000);
    // the second half picks the subtask at parallelism 2: about half the ids each
    assertThat(odd).isBetween(49_000L, 51_000L);
  }

  /**
   * One pass gives the same halves as the two loops, and those are the values checkpoints hold
   * (worked out by hand, in Python, from the two loops of commit 8fd06f3): a change to either
   * breaks every restore.
   */
  @Test
  void bothHalvesInOnePassAreTheValuesCheckpointsHold() {
    long[] got = new long[2];
    IdHash.both("svc-000001", (a, b) -> keep(got, a, b));
    assertThat(got).containsExactly(FIRST_OF_SVC_000001, SECOND_OF_SVC_000001);
    assertThat(IdHash.of("svc-000001")).isEqualTo(FIRST_OF_SVC_000001);
    assertThat(IdHash.second("svc-000001")).isEqualTo(SECOND_OF_SVC_000001);
    Random random = new Random(7);
    for (int i = 0; i < 10_000; i++) {
      char[] chars = new char[random.nextInt(40)];
      for (int j = 0; j < chars.length; j++) {
        chars[j] = (char) random.nextInt(i % 2 == 0 ? 128 : Character.MAX_VALUE + 1);
      }
      String id = new String(chars);
      IdHash.both(id, (a, b) -> keep(got, a, b));
      assertThat(got).as(id).containsExactly(IdHash.of(id), IdHash.second(id));
    }
  }

  private static boolean keep(long[] got, long first, long second) {
    got[0] = first;
    got[1] = second;
    return true;
  }

  /** Through the table's growths, ids that share a first half with another stay apart. */
  @Test
  void sharedFirstHalvesStayApartThroughGrowth() {
    IdHashSet ids = new IdHashSet();
    for (long i = 1; i <= 200_000; i++) {
      assertThat(ids.add(spread(i), -i)).isTrue();
    }
    for (long i = 1; i <= 200_000; i++) {
      assertThat(ids.add(spread(i), -i)).isFalse();
      assertThat(ids.add(spread(i), i)).isTrue(); // the same first half, another second
    }
    assertThat(ids.size()).isEqualTo(400_000);
  }

  /** Distinct first halves, spread over the slots (an odd multiplier is a bijection). */
  private static long spread(long i) {
    return i * 0x9e3779b97f4a7c15L;
  }
}
