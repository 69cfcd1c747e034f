package cn.xingan.kpi.sink;

import java.io.Serializable;
import java.time.Duration;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.jdbc.JdbcConnectionOptions;
import org.apache.flink.connector.jdbc.JdbcStatementBuilder;

/**
 * A batched ClickHouse insert sink on flink-connector-jdbc's connection provider and statement
 * builder, with the error handling its {@code JdbcSink} lacks: that one retries every {@code
 * SQLException} a fixed number of times and then fails the task, so a ClickHouse outage longer than
 * the retries restarts the job, and a missing column is retried like an outage and then restarted
 * forever. This writer keeps retrying while the server is away (backpressure, no restart), stops
 * the job for good with a message naming the table and column when retrying cannot help, and
 * flushes before every checkpoint (at least once; the ReplacingMergeTree versions make a repeated
 * row harmless).
 */
public final class ClickHouseSink<T> implements Sink<T> {
  private static final long serialVersionUID = 1L;

  /** Batching and retry settings of one sink. */
  public record Settings(
      int batchRows, Duration batchInterval, int maxUnknownRetries, Duration maxBackoff)
      implements Serializable {}

  private final String table;
  private final String insertSql;
  private final JdbcStatementBuilder<T> binder;
  private final JdbcConnectionOptions connection;
  private final Settings settings;

  public ClickHouseSink(
      String table,
      String insertSql,
      JdbcStatementBuilder<T> binder,
      JdbcConnectionOptions connection,
      Settings settings) {
    this.table = table;
    this.insertSql = insertSql;
    this.binder = binder;
    this.connection = connection;
    this.settings = settings;
  }

  @Override
  public SinkWriter<T> createWriter(WriterInitContext context) {
    return new ClickHouseWriter<>(table, insertSql, binder, connection, settings, context);
  }
}
