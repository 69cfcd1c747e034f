package cn.xingan.kpi.job;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SortedIdsTest {
  @Test
  void aRepeatOfTheCurrentKeysIdIsNotFirst() {
    SortedIds ids = new SortedIds();
    assertThat(ids.first(7L, "svc-1")).isTrue();
    assertThat(ids.first(7L, "svc-1")).isFalse();
    assertThat(ids.first(7L, "svc-1")).isFalse();
  }

  @Test
  void idsThatShareAHashAreToldApart() {
    SortedIds ids = new SortedIds();
    assertThat(ids.first(7L, "svc-1")).isTrue();
    assertThat(ids.first(7L, "svc-2")).isTrue();
    assertThat(ids.first(7L, "svc-1")).isFalse();
    assertThat(ids.first(7L, "svc-2")).isFalse();
  }

  @Test
  void aNewKeyForgetsThePreviousKeysIds() {
    SortedIds ids = new SortedIds();
    assertThat(ids.first(7L, "svc-1")).isTrue();
    assertThat(ids.first(8L, "svc-3")).isTrue();
    // sorted input never brings key 7 back; if it did, its id would count as new
    assertThat(ids.first(7L, "svc-1")).isTrue();
  }

  @Test
  void clearForgetsTheCurrentKey() {
    SortedIds ids = new SortedIds();
    assertThat(ids.first(7L, "svc-1")).isTrue();
    ids.clear();
    assertThat(ids.first(7L, "svc-1")).isTrue();
  }

  @Test
  void theHashIsStableAndSpreadsSimilarIds() {
    assertThat(IdHash.of("svc-000001")).isEqualTo(IdHash.of(new String("svc-000001")));
    java.util.Set<Long> hashes = new java.util.HashSet<>();
    for (int i = 0; i < 100_000; i++) {
      hashes.add(IdHash.of("svc-" + i));
    }
    assertThat(hashes).hasSize(100_000);
  }
}
