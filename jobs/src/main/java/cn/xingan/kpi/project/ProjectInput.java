package cn.xingan.kpi.project;

import cn.xingan.kpi.events.Origin;
import cn.xingan.kpi.events.ProjectEvent;

/**
 * An admitted {@code project-progress} event on its way to its project's tracker, with the record
 * it came from: an event of a project that never gets registered is rejected there, later, as
 * {@code unknown_project}, and a rejection quotes the original record.
 */
public record ProjectInput(ProjectEvent event, Origin origin) {}
