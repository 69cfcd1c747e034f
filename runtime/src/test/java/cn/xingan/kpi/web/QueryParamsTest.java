package cn.xingan.kpi.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class QueryParamsTest {
  private static final Set<String> NAMES = Set.of("scope_key");

  @Test
  void decodesPercentEscapesAndPlus() {
    assertThat(QueryParams.parse("scope_key=%E4%B9%8C+x", NAMES).get("scope_key")).hasValue("乌 x");
    assertThat(QueryParams.parse(null, NAMES).get("scope_key")).isEmpty();
    assertThat(QueryParams.parse("scope_key", NAMES).get("scope_key")).hasValue("");
  }

  @Test
  void refusesRepeatsAndBadEscapes() {
    assertThatThrownBy(() -> QueryParams.parse("scope_key=a&scope_key=b", NAMES))
        .isInstanceOf(ApiError.class)
        .hasMessage("parameter 'scope_key' is given more than once");
    assertThatThrownBy(() -> QueryParams.parse("scope_key=%zz", NAMES))
        .isInstanceOf(ApiError.class)
        .hasMessage("the query string has a bad %-escape in '%zz'");
  }
}
