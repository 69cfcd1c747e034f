package cn.xingan.kpi.kpi;

/**
 * The key of a KPI row besides its period: the scope ({@code league}, {@code county}, …) and the
 * value within it ({@code ''} for the league). KPI functions are keyed by it, so one event is
 * shuffled once per scope and every period kind is computed in the same place.
 */
public record ScopeKey(String scope, String key) {
  public static final String LEAGUE = "league";

  public static ScopeKey league() {
    return new ScopeKey(LEAGUE, "");
  }
}
