package cn.xingan.kpi.project;

import cn.xingan.kpi.alerts.ProjectAlert;

/**
 * The last version of an alert that went out, and the instant of the project's history its step
 * belongs to: a replay from a horizon recomputes only the steps at or after it.
 */
public record SentAlert(ProjectAlert alert, long at) {}
