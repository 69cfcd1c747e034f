package cn.xingan.kpi.project;

import cn.xingan.kpi.events.ProjectRegistration;
import cn.xingan.kpi.kpi.ScopeKey;
import java.util.List;

/**
 * The scopes of {@code kpi_project} a project counts in, decided by its registration: the league,
 * its county, its industry chain, its list (key, highlight, difficult work) and the project itself.
 * Always the same five kinds in the same order, so a re-registration can be compared scope kind by
 * scope kind.
 */
public final class ProjectScopes {
  public static final String COUNTY = "county";
  public static final String CHAIN = "chain";
  public static final String LIST = "list";
  public static final String PROJECT = "project";

  private ProjectScopes() {}

  public static List<ScopeKey> of(String projectId, ProjectRegistration r) {
    return List.of(
        ScopeKey.league(),
        new ScopeKey(COUNTY, r.county()),
        new ScopeKey(CHAIN, r.chain()),
        new ScopeKey(LIST, r.list()),
        new ScopeKey(PROJECT, projectId));
  }
}
