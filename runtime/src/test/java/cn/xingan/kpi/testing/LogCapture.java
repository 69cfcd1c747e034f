package cn.xingan.kpi.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * Everything this JVM logs while it is open (message and stack trace of every event that the test
 * logging configuration lets through), so a test can check what reached the log, e.g. that no
 * password did.
 */
final class LogCapture implements AutoCloseable {
  private final Collector collector = new Collector();
  private final List<LoggerConfig> attachedTo = new ArrayList<>();

  /** Starts capturing on the root logger and every configured logger. */
  static LogCapture start() {
    LogCapture capture = new LogCapture();
    capture.collector.start();
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    Configuration config = context.getConfiguration();
    capture.attach(config.getRootLogger());
    config.getLoggers().values().forEach(capture::attach);
    context.updateLoggers();
    return capture;
  }

  private void attach(LoggerConfig logger) {
    if (!attachedTo.contains(logger)) {
      logger.addAppender(collector, null, null);
      attachedTo.add(logger);
    }
  }

  /** The captured text so far: one line per event, followed by its stack trace. */
  synchronized String text() {
    return String.join("\n", collector.lines());
  }

  /** How many events were captured. */
  int events() {
    return collector.lines().size();
  }

  @Override
  public void close() {
    for (LoggerConfig logger : attachedTo) {
      logger.removeAppender(collector.getName());
    }
    ((LoggerContext) LogManager.getContext(false)).updateLoggers();
    collector.stop();
  }

  private static final class Collector extends AbstractAppender {
    private final List<String> lines = new ArrayList<>();

    Collector() {
      super("capture-" + UUID.randomUUID(), null, null, true, Property.EMPTY_ARRAY);
    }

    @Override
    public void append(LogEvent event) {
      StringBuilder line =
          new StringBuilder(event.getLoggerName())
              .append(' ')
              .append(event.getMessage().getFormattedMessage());
      if (event.getThrown() != null) {
        StringWriter trace = new StringWriter();
        event.getThrown().printStackTrace(new PrintWriter(trace));
        line.append('\n').append(trace);
      }
      synchronized (this) {
        lines.add(line.toString());
      }
    }

    synchronized List<String> lines() {
      return new ArrayList<>(lines);
    }
  }
}
