package cn.xingan.kpi.sink;

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
import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buffers rows and writes them as one {@code INSERT … VALUES} batch when the batch is full, when
 * the batch interval passes, and before every checkpoint. See {@link ClickHouseSink} for why.
 */
final class ClickHouseWriter<T> implements SinkWriter<T> {
  private static final Logger LOG = LoggerFactory.getLogger(ClickHouseWriter.class);
  private static final long FIRST_BACKOFF_MS = 200;

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
  private final Counter retries;
  private PreparedStatement statement;
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
    this.user = connection.getUsername().orElse("default");
    this.password = connection.getPassword().orElse("");
    this.url = connection.getDbURL().replaceFirst("^jdbc:clickhouse:", "");
    this.rowsWritten = context.metricGroup().getNumRecordsSendCounter();
    this.retries = context.metricGroup().counter("clickhouseRetries");
  }

  @Override
  public void write(T row, Context context) throws IOException, InterruptedException {
    buffer.add(row);
    if (buffer.size() >= settings.batchRows()) {
      writeBuffer();
    } else if (!timerPending) {
      timerPending = true;
      time.registerTimer(
          time.getCurrentProcessingTime() + settings.batchInterval().toMillis(),
          ts -> {
            timerPending = false;
            writeBuffer();
          });
    }
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
      try {
        PreparedStatement ps = statement();
        for (T row : buffer) {
          binder.accept(ps, row);
          ps.addBatch();
        }
        ps.executeBatch();
        rowsWritten.inc(buffer.size());
        buffer.clear();
        return;
      } catch (SQLException | RuntimeException e) {
        attempt++;
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
