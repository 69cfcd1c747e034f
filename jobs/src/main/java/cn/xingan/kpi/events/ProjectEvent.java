package cn.xingan.kpi.events;

/**
 * A validated {@code project-progress} event. Only the fields of its {@link #type} are set: {@code
 * registration} for {@code registered}, {@code amountCents} (fen, never 0) and {@code correction}
 * for {@code investment}, {@code progressMicros} (the percentage in millionths, so sums are exact)
 * for {@code progress}, {@code milestone} for {@code milestone}.
 */
public record ProjectEvent(
    String eventId,
    long eventTime,
    String projectId,
    ProjectEventType type,
    ProjectRegistration registration,
    long amountCents,
    boolean correction,
    long progressMicros,
    Milestone milestone) {

  /** One percent in {@link #progressMicros} units. */
  public static final long MICROS_PER_PERCENT = 1_000_000L;

  public static ProjectEvent registered(
      String eventId, long eventTime, String projectId, ProjectRegistration registration) {
    return new ProjectEvent(
        eventId,
        eventTime,
        projectId,
        ProjectEventType.REGISTERED,
        registration,
        0,
        false,
        0,
        null);
  }

  public static ProjectEvent investment(
      String eventId, long eventTime, String projectId, long amountCents, boolean correction) {
    return new ProjectEvent(
        eventId,
        eventTime,
        projectId,
        ProjectEventType.INVESTMENT,
        null,
        amountCents,
        correction,
        0,
        null);
  }

  public static ProjectEvent progress(
      String eventId, long eventTime, String projectId, long progressMicros) {
    return new ProjectEvent(
        eventId,
        eventTime,
        projectId,
        ProjectEventType.PROGRESS,
        null,
        0,
        false,
        progressMicros,
        null);
  }

  public static ProjectEvent milestone(
      String eventId, long eventTime, String projectId, Milestone milestone) {
    return new ProjectEvent(
        eventId, eventTime, projectId, ProjectEventType.MILESTONE, null, 0, false, 0, milestone);
  }
}
