package cn.xingan.kpi.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.flink.api.java.tuple.Tuple2;
import org.junit.jupiter.api.Test;

/** What a checkpoint of the held ids lists: every held id once, under the time it is held until. */
class RecentIdsTest {
  private static List<String> listed(RecentIds ids) {
    return ids.groups().stream()
        .flatMap(g -> java.util.Arrays.stream(g.f1).map(id -> g.f0 + ":" + id))
        .toList();
  }

  @Test
  void idsOnlyAddedAreListedByGroup() {
    RecentIds ids = new RecentIds();
    ids.keep("a", 10);
    ids.keep("b", 10);
    ids.keep("c", 20);
    ids.keep("d", 10);
    assertThat(listed(ids)).containsExactly("10:a", "10:b", "10:d", "20:c");
    ids.forgetUntil(10);
    assertThat(listed(ids)).containsExactly("20:c");
    assertThat(ids.contains("a")).isFalse();
  }

  @Test
  void anIdForgottenAloneOrKeptAgainIsListedOnlyWhereItIsHeld() {
    RecentIds ids = new RecentIds();
    ids.keep("a", 10);
    ids.keep("b", 10);
    ids.keep("c", 10);
    ids.forget("b"); // an earlier form's timer
    ids.keep("c", 30); // kept again, longer
    assertThat(listed(ids)).containsExactly("10:a", "30:c");
    // the lists were cleaned: the next checkpoint lists the same, and new ids join their group
    ids.keep("e", 10);
    assertThat(listed(ids)).containsExactly("10:a", "10:e", "30:c");
    assertThat(ids.groups()).extracting(g -> g.f0).containsExactly(10L, 30L);
    Tuple2<Long, String[]> first = ids.groups().get(0);
    assertThat(first.f1).containsExactly("a", "e");
    ids.forgetUntil(10);
    assertThat(listed(ids)).containsExactly("30:c");
    assertThat(ids.size()).isEqualTo(1);
  }
}
