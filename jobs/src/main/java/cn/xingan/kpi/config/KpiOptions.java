package cn.xingan.kpi.config;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The options of the KPI pipeline itself — where ClickHouse and Kafka are, the calendar, lateness,
 * batching and the project rules — shared by every entry that runs it (run, backfill, quickstart,
 * {@code flink run}, tests). Built once from {@link OptionValues}, or with {@link #builder()} in
 * tests, and passed around immutable. Flink engine settings are {@link EngineOptions}.
 *
 * @param kafkaProperties extra Kafka client properties (SASL/SSL, …) for every client of the job
 * @param alertWebhook where every alert version is also POSTed, or {@code null}
 */
public record KpiOptions(
    ClickHouseEndpoint clickhouse,
    String kafkaBootstrap,
    String kafkaGroupId,
    Map<String, String> kafkaProperties,
    ZoneId zone,
    Duration emitInterval,
    Duration allowedLateness,
    Duration maxFuture,
    Duration outOfOrderness,
    Duration idleness,
    int sinkBatchRows,
    Duration sinkBatchInterval,
    int sinkMaxRetries,
    int maxRecordBytes,
    ProjectOptions project,
    String alertWebhook)
    implements Serializable {

  public static final String TOPIC_PROJECTS = "project-progress";
  public static final String TOPIC_SERVICE = "service-transactions";
  public static final String TOPIC_MARKETS = "market-stall-counts";
  public static final String TOPIC_ALERTS = "project-alerts";
  public static final String TOPIC_REJECTED = "kpi-rejected";

  public KpiOptions {
    kafkaProperties = Map.copyOf(kafkaProperties);
  }

  /** The options with every default (as {@code bin/kpi run} has them). */
  public static KpiOptions defaults() {
    return from(OptionValues.defaults(Command.RUN));
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return defaults().toBuilder();
  }

  /** The pipeline options of a command's resolved options. */
  public static KpiOptions from(OptionValues v) {
    return new KpiOptions(
        clickhouse(v),
        v.nonEmpty("kafka-bootstrap"),
        v.has("kafka-group-id")
            ? v.nonEmpty("kafka-group-id")
            : OptionTable.get("kafka-group-id").defaultValue(),
        v.entries("kafka-property"),
        v.zone("zone"),
        v.positiveDuration("emit-interval"),
        v.duration("allowed-lateness"),
        v.duration("max-future"),
        v.duration("out-of-orderness"),
        v.positiveDuration("idleness"),
        v.integer("sink-batch-rows", 1, Integer.MAX_VALUE),
        v.positiveDuration("sink-batch-interval"),
        v.integer("sink-max-retries", 0, Integer.MAX_VALUE),
        v.integer("max-record-bytes", 1, Integer.MAX_VALUE),
        project(v),
        v.has("alert-webhook") ? webhook(v) : null);
  }

  /** An http(s) URL with a host, or null; the message never shows its query (it may hold a key). */
  private static String webhook(OptionValues v) {
    String url = v.text("alert-webhook");
    if (url == null || url.isBlank()) {
      return null;
    }
    try {
      java.net.URI u = java.net.URI.create(url);
      if (("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null) {
        return url;
      }
    } catch (IllegalArgumentException e) {
      // the message below says what is expected
    }
    throw v.invalid(
        "alert-webhook",
        "is not an http:// or https:// URL with a host, e.g. https://alerts.example/hook");
  }

  /** The webhook URL as it may be shown: scheme, host and path, no user info or query. */
  public static String shown(String url) {
    if (url == null) {
      return "none";
    }
    java.net.URI u = java.net.URI.create(url);
    return u.getScheme()
        + "://"
        + u.getHost()
        + (u.getPort() < 0 ? "" : ":" + u.getPort())
        + (u.getPath() == null ? "" : u.getPath());
  }

  /**
   * The endpoint of the ClickHouse options; the password comes from {@code --clickhouse-password}
   * or {@code --clickhouse-password-file}, whichever has the higher precedence.
   */
  public static ClickHouseEndpoint clickhouse(OptionValues v) {
    String database = v.text("database");
    if (database == null || !database.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw v.invalid("database", "must be a plain identifier ([A-Za-z_][A-Za-z0-9_]*)");
    }
    try {
      return new ClickHouseEndpoint(
          v.text("clickhouse-url"), v.text("clickhouse-user"), password(v), database);
    } catch (IllegalArgumentException e) {
      throw v.invalid(
          "clickhouse-url", e.getMessage().replaceFirst("^ClickHouse URL '[^']*' ", ""));
    }
  }

  private static String password(OptionValues v) {
    if (!v.given("clickhouse-password-file")) {
      return v.text("clickhouse-password");
    }
    OptionSource file = v.source("clickhouse-password-file");
    OptionSource text = v.source("clickhouse-password");
    if (file == text) {
      throw new OptionException(
          "--clickhouse-password and --clickhouse-password-file are both set ("
              + v.describe("clickhouse-password-file")
              + "); give one of them");
    }
    if (text.compareTo(file) > 0) {
      return v.text("clickhouse-password");
    }
    Path path = v.path("clickhouse-password-file");
    try {
      String content = Files.readString(path);
      return content.endsWith("\n") ? content.strip() : content;
    } catch (IOException e) {
      throw v.invalid("clickhouse-password-file", "cannot be read: " + e.getMessage());
    }
  }

  private static ProjectOptions project(OptionValues v) {
    int pct = v.integer("behind-plan-pct", 1, 100);
    return new ProjectOptions(
        v.duration("registration-wait"),
        v.integer("start-overdue-days", 0, Integer.MAX_VALUE),
        v.positiveDuration("no-report-after"),
        pct,
        v.integer("behind-plan-critical-pct", 0, pct));
  }

  /** Kafka client settings for every client of the job: the bootstrap and the extra properties. */
  public java.util.Properties kafkaClientProperties() {
    java.util.Properties p = new java.util.Properties();
    p.putAll(kafkaProperties);
    p.put("bootstrap.servers", kafkaBootstrap);
    return p;
  }

  /** Never prints the password or a Kafka property that may hold a secret. */
  @Override
  public String toString() {
    Map<String, String> kafka = new LinkedHashMap<>();
    kafkaProperties.forEach((k, val) -> kafka.put(k, Secrets.isSecretKey(k) ? "***" : val));
    return "KpiOptions[clickhouse="
        + clickhouse
        + ", kafka="
        + kafkaBootstrap
        + " group "
        + kafkaGroupId
        + " "
        + kafka
        + ", zone="
        + zone
        + ", emitInterval="
        + emitInterval
        + ", allowedLateness="
        + allowedLateness
        + ", maxFuture="
        + maxFuture
        + ", outOfOrderness="
        + outOfOrderness
        + ", idleness="
        + idleness
        + ", sink="
        + sinkBatchRows
        + " rows/"
        + sinkBatchInterval
        + ", retries "
        + sinkMaxRetries
        + ", maxRecordBytes="
        + maxRecordBytes
        + ", project="
        + project
        + ", alertWebhook="
        + shown(alertWebhook)
        + "]";
  }

  public KpiOptions withClickHouse(ClickHouseEndpoint endpoint) {
    return toBuilder().clickhouse(endpoint).build();
  }

  public KpiOptions withKafka(String bootstrap) {
    return toBuilder().kafkaBootstrap(bootstrap).build();
  }

  public KpiOptions withEmitInterval(Duration interval) {
    return toBuilder().emitInterval(interval).build();
  }

  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Typed changes of the defaults, for tests and embedded runs (no argument strings). */
  public static final class Builder {
    private ClickHouseEndpoint clickhouse;
    private String kafkaBootstrap;
    private String kafkaGroupId;
    private Map<String, String> kafkaProperties;
    private ZoneId zone;
    private Duration emitInterval;
    private Duration allowedLateness;
    private Duration maxFuture;
    private Duration outOfOrderness;
    private Duration idleness;
    private int sinkBatchRows;
    private Duration sinkBatchInterval;
    private int sinkMaxRetries;
    private int maxRecordBytes;
    private ProjectOptions project;
    private String alertWebhook;

    private Builder(KpiOptions o) {
      clickhouse = o.clickhouse;
      kafkaBootstrap = o.kafkaBootstrap;
      kafkaGroupId = o.kafkaGroupId;
      kafkaProperties = o.kafkaProperties;
      zone = o.zone;
      emitInterval = o.emitInterval;
      allowedLateness = o.allowedLateness;
      maxFuture = o.maxFuture;
      outOfOrderness = o.outOfOrderness;
      idleness = o.idleness;
      sinkBatchRows = o.sinkBatchRows;
      sinkBatchInterval = o.sinkBatchInterval;
      sinkMaxRetries = o.sinkMaxRetries;
      maxRecordBytes = o.maxRecordBytes;
      project = o.project;
      alertWebhook = o.alertWebhook;
    }

    public Builder clickhouse(ClickHouseEndpoint v) {
      clickhouse = v;
      return this;
    }

    public Builder kafkaBootstrap(String v) {
      kafkaBootstrap = v;
      return this;
    }

    public Builder kafkaGroupId(String v) {
      kafkaGroupId = v;
      return this;
    }

    public Builder kafkaProperties(Map<String, String> v) {
      kafkaProperties = v;
      return this;
    }

    public Builder zone(ZoneId v) {
      zone = v;
      return this;
    }

    public Builder emitInterval(Duration v) {
      emitInterval = v;
      return this;
    }

    public Builder allowedLateness(Duration v) {
      allowedLateness = v;
      return this;
    }

    public Builder maxFuture(Duration v) {
      maxFuture = v;
      return this;
    }

    public Builder outOfOrderness(Duration v) {
      outOfOrderness = v;
      return this;
    }

    public Builder idleness(Duration v) {
      idleness = v;
      return this;
    }

    public Builder sinkBatchRows(int v) {
      sinkBatchRows = v;
      return this;
    }

    public Builder sinkBatchInterval(Duration v) {
      sinkBatchInterval = v;
      return this;
    }

    public Builder sinkMaxRetries(int v) {
      sinkMaxRetries = v;
      return this;
    }

    public Builder maxRecordBytes(int v) {
      maxRecordBytes = v;
      return this;
    }

    public Builder project(ProjectOptions v) {
      project = v;
      return this;
    }

    public Builder alertWebhook(String v) {
      alertWebhook = v;
      return this;
    }

    public KpiOptions build() {
      return new KpiOptions(
          clickhouse,
          kafkaBootstrap,
          kafkaGroupId,
          kafkaProperties,
          zone,
          emitInterval,
          allowedLateness,
          maxFuture,
          outOfOrderness,
          idleness,
          sinkBatchRows,
          sinkBatchInterval,
          sinkMaxRetries,
          maxRecordBytes,
          project,
          alertWebhook);
    }
  }
}
