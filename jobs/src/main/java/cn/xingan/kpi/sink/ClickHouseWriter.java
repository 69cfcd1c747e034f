package cn.xingan.kpi.sink;

import cn.xingan.kpi.metrics.KpiMetrics;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.jdbc.JdbcConnectionOptions;
import org.apache.flink.connector.jdbc.JdbcStatementBuilder;
import org.apache.flink.connector.jdbc.datasource.connections.SimpleJdbcConnectionProvider;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Histogram;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.apache.flink.runtime.metrics.DescriptiveStatisticsHistogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buffers rows and writes them as one {@code INSERT … VALUES} batch when the batch is full, when a
 * burst of rows ends or the batch interval passes ({@link FlushSchedule}), and before every
 * checkpoint. See {@link ClickHouseSink} for why.
 */
final class ClickHouseWriter<T> implements SinkWriter<T> {
  private static final Logger LOG = LoggerFactory.getLogger(ClickHouseWriter.class);
  private static final long FIRST_BACKOFF_MS = 200;
  private static final int LATENCY_WINDOW = 1000;

  private final String table;
  private final String insertSql;
  private final JdbcStatementBuilder<T> binder;
  private final SimpleJdbcConnectionProvider connections;
  private final ClickHouseSink.Settings settings;
  private final ProcessingTimeService time;
  private final String user;
  private final String password;
  private final String url;
  private final List<T> buffer = new ArrayList<>();
  private final Counter rowsWritten;
  private final Counter recordsSend;
  private final Counter retries;
  private final Counter failedInserts;
  private final Histogram insertLatency;
  private PreparedStatement statement;
  private final FlushSchedule schedule;
  private boolean timerPending;

  ClickHouseWriter(
      String table,
      String insertSql,
      JdbcStatementBuilder<T> binder,
      JdbcConnectionOptions connection,
      ClickHouseSink.Settings settings,
      WriterInitContext context) {
    this.table = table;
    this.insertSql = insertSql;
    this.binder = binder;
    this.connections = new SimpleJdbcConnectionProvider(connection);
    this.settings = settings;
    this.time = context.getProcessingTimeService();
    this.schedule = new FlushSchedule(settings.batchInterval());
    this.user = connection.getUsername().orElse("default");
    this.password = connection.getPassword().orElse("");
    this.url = connection.getDbURL().replaceFirst("^jdbc:clickhouse:", "");
    // the label is the table's own name, without its database
    MetricGroup metrics =
        KpiMetrics.table(context.metricGroup(), table.substring(table.indexOf('.') + 1));
    this.rowsWritten = metrics.counter(KpiMetrics.ROWS_WRITTEN);
    this.retries = metrics.counter(KpiMetrics.CLICKHOUSE_RETRIES);
    this.failedInserts = metrics.counter(KpiMetrics.FAILED_INSERTS);
    this.insertLatency =
        metrics.histogram(
            KpiMetrics.INSERT_LATENCY_MS, new DescriptiveStatisticsHistogram(LATENCY_WINDOW));
    this.recordsSend = context.metricGroup().getNumRecordsSendCounter();
  }

  @Override
  public void write(T row, Context context) throws IOException, InterruptedException {
    buffer.add(row);
    schedule.rowAdded(time.getCurrentProcessingTime());
    if (buffer.size() >= settings.batchRows()) {
      writeBuffer();
    } else if (!timerPending) {
      awaitBurstEnd();
    }
  }

  /** A timer at the schedule's next check: writes then if due, else looks again. */
  private void awaitBurstEnd() {
    timerPending = true;
    time.registerTimer(
        schedule.nextCheck(),
        now -> {
          timerPending = false;
          if (buffer.isEmpty()) {
            return;
          }
          if (schedule.due(now)) {
            writeBuffer();
          } else {
            awaitBurstEnd();
          }
        });
  }

  @Override
  public void flush(boolean endOfInput) throws IOException, InterruptedException {
    writeBuffer();
  }

  private void writeBuffer() throws IOException, InterruptedException {
    if (buffer.isEmpty()) {
      return;
    }
    int attempt = 0;
    while (true) {
      long start = System.nanoTime();
      try {
        PreparedStatement ps = statement();
        for (T row : buffer) {
          binder.accept(ps, row);
          ps.addBatch();
        }
        ps.executeBatch();
        insertLatency.update((System.nanoTime() - start) / 1_000_000);
        rowsWritten.inc(buffer.size());
        recordsSend.inc(buffer.size());
        buffer.clear();
        schedule.written(time.getCurrentProcessingTime());
        return;
      } catch (SQLException | RuntimeException e) {
        attempt++;
        failedInserts.inc();
        handle(e, attempt);
        closeStatement();
        retries.inc();
        long backoff =
            Math.min(
                settings.maxBackoff().toMillis(), FIRST_BACKOFF_MS << Math.min(attempt - 1, 16));
        Thread.sleep(backoff);
      }
    }
  }

  /** Returns to retry; throws when the failure calls for stopping. */
  private void handle(Exception e, int attempt) throws IOException {
    ClickHouseErrors.Kind kind = ClickHouseErrors.classify(e);
    String server = ClickHouseErrors.redact(ClickHouseErrors.messages(e), password);
    switch (kind) {
      case RETRIABLE -> {
        if (attempt == 1 || attempt % 10 == 0) {
          LOG.warn(
              "ClickHouse write of {} rows to {} failed (attempt {}), retrying until it returns: {}",
              buffer.size(),
              table,
              attempt,
              server);
        }
      }
      case ACCESS ->
          throw new SuppressRestartsException(
              new IllegalStateException(
                  "cannot write to ClickHouse table "
                      + table
                      + ": "
                      + ClickHouseErrors.accessProblem(ClickHouseErrors.code(e), user, url)
                      + " (server: "
                      + server
                      + ")",
                  e));
      case SCHEMA, BAD_DATA -> {
        String column = ClickHouseErrors.column(e);
        throw new SuppressRestartsException(
            new IllegalStateException(
                "cannot write to ClickHouse table "
                    + table
                    + (column == null ? "" : ", column " + column)
                    + (kind == ClickHouseErrors.Kind.BAD_DATA ? " (rows refused)" : "")
                    + ": "
                    + server
                    + "; the schema may be older than this job: run `bin/kpi init-db`",
                e));
      }
      case UNKNOWN -> {
        if (attempt > settings.maxUnknownRetries()) {
          throw new IOException(
              "ClickHouse write to " + table + " failed " + attempt + " times: " + server, e);
        }
        LOG.warn("ClickHouse write to {} failed (attempt {}): {}", table, attempt, server);
      }
    }
  }

  private PreparedStatement statement() throws SQLException {
    if (statement == null) {
      Connection c;
      try {
        c = connections.getOrEstablishConnection();
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException("the ClickHouse JDBC driver is not on the classpath", e);
      }
      statement = c.prepareStatement(insertSql);
    }
    return statement;
  }

  private void closeStatement() {
    if (statement != null) {
      try {
        statement.close();
      } catch (SQLException ignored) {
        // the connection is being replaced anyway
      }
      statement = null;
    }
    connections.closeConnection();
  }

  @Override
  public void close() throws Exception {
    closeStatement();
  }
}
