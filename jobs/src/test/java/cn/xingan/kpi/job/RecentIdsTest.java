package cn.xingan.kpi.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.flink.api.java.tuple.Tuple2;
import org.junit.jupiter.api.Test;

/**
 * The table of held ids against a {@code HashMap} oracle: every id held is found, every id
 * forgotten (alone or with its group) is not, through growth, deletions in the middle of probe runs
 * and rebuilds; and a checkpoint lists each held id once, under its time and key group.
 */
class RecentIdsTest {
  private record Held(long until, int keyGroup) {}

  private static int keyGroup(String id) {
    return Math.floorMod(id.hashCode(), 128);
  }

  /**
   * A steady day: 3,200 ids a day, each held two days, so 3,200 survive an expiry and 6,400 are
   * held before the next. Sized for the survivors alone (8,192 slots) the table would outgrow its
   * 3/4 load during every day and halve at every expiry; sized for the day's peak it stays at
   * 16,384 slots, so the heap it takes does not depend on the hour.
   */
  @Test
  void aSteadyDayKeepsTheTableItsSize() {
    RecentIds ids = new RecentIds();
    int perDay = 3_200;
    List<Integer> midDay = new ArrayList<>();
    List<Integer> endOfDay = new ArrayList<>();
    for (int day = 0; day < 12; day++) {
      for (int i = 0; i < perDay; i++) {
        String id = "svc-" + day + "-" + i;
        assertThat(ids.keepIfNew(id, keyGroup(id), day + 2)).isTrue();
        if (i == perDay / 2) {
          midDay.add(ids.capacity());
        }
      }
      endOfDay.add(ids.capacity());
      ids.forgetUntil(day + 1);
      assertThat(ids.size()).isEqualTo(perDay);
    }
    assertThat(midDay.subList(2, 12)).containsOnly(16_384);
    assertThat(endOfDay.subList(2, 12)).containsOnly(16_384);
    for (int i = 0; i < perDay; i++) {
      assertThat(ids.contains("svc-11-" + i)).isTrue();
      assertThat(ids.contains("svc-10-" + i)).isFalse();
    }
  }

  @Test
  void aRandomMixOfKeepsForgetsAndExpiriesAgreesWithAMap() {
    RecentIds ids = new RecentIds();
    Map<String, Held> oracle = new HashMap<>();
    Random random = new Random(20261207L);
    List<String> known = new ArrayList<>();
    long watermark = 0;
    for (int step = 0; step < 300_000; step++) {
      int op = random.nextInt(100);
      if (op < 88 || known.isEmpty()) { // a new id, or a repeat of an earlier one
        String id =
            random.nextInt(10) == 0 && !known.isEmpty()
                ? known.get(random.nextInt(known.size()))
                : "svc-" + random.nextInt(2_000_000) + "-" + step;
        long until = watermark + 1 + random.nextInt(200);
        Held expected = new Held(until, keyGroup(id));
        boolean isNew = !oracle.containsKey(id);
        assertThat(ids.keepIfNew(id, keyGroup(id), until)).as("new: %s", id).isEqualTo(isNew);
        if (isNew) {
          oracle.put(id, expected);
          known.add(id);
        }
      } else if (op < 98) {
        String id = known.get(random.nextInt(known.size()));
        ids.forget(id);
        oracle.remove(id);
      } else {
        watermark += 1 + random.nextInt(3);
        ids.forgetUntil(watermark);
        long w = watermark;
        oracle.values().removeIf(h -> h.until() <= w);
      }
      if (step % 10_000 == 0) {
        assertAgrees(ids, oracle, known);
      }
    }
    assertAgrees(ids, oracle, known);
    assertThat(oracle.size()).as("ids held at the end").isGreaterThan(1000);
  }

  private static void assertAgrees(RecentIds ids, Map<String, Held> oracle, List<String> known) {
    assertThat(ids.size()).isEqualTo(oracle.size());
    for (String id : known) {
      assertThat(ids.contains(id)).as("held: %s", id).isEqualTo(oracle.containsKey(id));
    }
  }

  @Test
  void aCheckpointListsEachHeldIdOnceUnderItsTimeAndKeyGroupAndRestoresIt() {
    RecentIds ids = new RecentIds();
    Map<String, Held> oracle = new HashMap<>();
    for (int i = 0; i < 150_000; i++) {
      String id = "evt-" + i;
      long until = i < 140_000 ? 10 : 20 + i % 3; // one group of 140k ids: three chunks
      ids.keepIfNew(id, keyGroup(id), until);
      oracle.put(id, new Held(until, keyGroup(id)));
    }
    ids.forget("evt-7");
    oracle.remove("evt-7");

    List<Tuple2<Long, long[]>> chunks = ids.groups();
    Map<Held, Integer> listed = new TreeMap<>(RecentIdsTest::compare);
    int total = 0;
    for (Tuple2<Long, long[]> chunk : chunks) {
      assertThat(chunk.f1.length % 3).isZero();
      assertThat(chunk.f1.length / 3).isBetween(1, RecentIds.IDS_PER_CHUNK);
      for (int i = 0; i < chunk.f1.length; i += 3) {
        listed.merge(new Held(chunk.f0, (int) chunk.f1[i + 2]), 1, Integer::sum);
        total++;
      }
    }
    Map<Held, Integer> expected = new TreeMap<>(RecentIdsTest::compare);
    oracle.values().forEach(h -> expected.merge(h, 1, Integer::sum));
    assertThat(total).isEqualTo(150_000 - 1);
    assertThat(listed).isEqualTo(expected);
    assertThat(chunks.stream().filter(c -> c.f0 == 10).count()).isEqualTo(3);

    RecentIds restored = new RecentIds();
    for (Tuple2<Long, long[]> chunk : chunks) {
      for (int i = 0; i < chunk.f1.length; i += 3) {
        restored.keepIfNew(chunk.f1[i], chunk.f1[i + 1], (int) chunk.f1[i + 2], chunk.f0);
      }
    }
    assertThat(restored.size()).isEqualTo(oracle.size());
    assertThat(restored.contains("evt-7")).isFalse();
    assertThat(restored.contains("evt-8")).isTrue();
    assertThat(restored.keepIfNew("evt-149999", keyGroup("evt-149999"), 99)).isFalse();
    restored.forgetUntil(10);
    assertThat(restored.size()).isEqualTo(10_000);
    assertThat(restored.contains("evt-139999")).isFalse();
    assertThat(restored.contains("evt-140000")).isTrue();
    restored.forgetUntil(22);
    assertThat(restored.size()).isZero();
  }

  private static int compare(Held a, Held b) {
    int byUntil = Long.compare(a.until(), b.until());
    return byUntil != 0 ? byUntil : Integer.compare(a.keyGroup(), b.keyGroup());
  }
}
