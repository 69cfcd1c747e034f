package cn.xingan.kpi.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SqlTextTest {
  @Test
  void quotesAndBackslashesAreEscaped() {
    assertThat(SqlText.literal("k", "a'b\\c")).isEqualTo("'a\\'b\\\\c'");
    assertThat(SqlText.literal("k", "乌兰浩特")).isEqualTo("'乌兰浩特'");
    assertThat(SqlText.identifier("period")).isEqualTo("`period`");
  }

  @Test
  void controlCharactersAndOverlongValuesAreRefused() {
    assertThatThrownBy(() -> SqlText.literal("scope_key", "a\nb"))
        .isInstanceOf(ApiError.class)
        .hasMessage("scope_key 'a?b' contains a control character");
    assertThatThrownBy(() -> SqlText.literal("scope_key", "x".repeat(257)))
        .isInstanceOf(ApiError.class)
        .hasMessage("scope_key is 257 characters long; at most 256");
    assertThat(SqlText.literal("scope_key", "x".repeat(256))).hasSize(258);
  }
}
