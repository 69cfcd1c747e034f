package cn.xingan.kpi.bench.peers;

import cn.xingan.kpi.config.ClickHouseEndpoint;
import cn.xingan.kpi.sink.ClickHouseHttp;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Base64;

/**
 * The peer a ClickHouse user would pick instead of the pipeline: ClickHouse loads the raw JSON
 * lines itself ({@code INSERT … FORMAT JSONEachRow}, the file streamed as the body) and computes
 * the kpi_service figures for every period kind and scope in one {@code INSERT … SELECT} — the work
 * a Kafka-engine table feeding a materialized view does. Runs on ClickHouse 18.16: the periods are
 * {@code toMonday}/{@code toStartOfMonth}/… of the local date, periods and scopes are fanned out
 * with two {@code arrayJoin}s (a product), aliases differ from the columns aggregated. Rolling
 * rows, versions and lateness have no counterpart here: it computes the final figures once.
 */
public final class ClickHousePeer {
  static final String DATABASE = "bench_peer";

  private ClickHousePeer() {}

  public static PeerResult run(ClickHouseEndpoint server, Path serviceJsonLines, ZoneId zone)
      throws IOException, InterruptedException {
    ClickHouseEndpoint db = server.inDatabase(DATABASE);
    ClickHouseHttp admin = new ClickHouseHttp(server.inDatabase("default"));
    admin.query("CREATE DATABASE IF NOT EXISTS " + DATABASE);
    ClickHouseHttp ch = new ClickHouseHttp(db);
    ch.query("DROP TABLE IF EXISTS raw");
    ch.query("DROP TABLE IF EXISTS kpi");
    ch.query(
        "CREATE TABLE raw (event_time String, status String, service_code String,"
            + " department String, county String, channel String, statutory_days UInt32,"
            + " promised_days UInt32, accepted_at String, visits UInt32,"
            + " satisfaction Nullable(UInt8)) ENGINE = MergeTree ORDER BY tuple()");
    ch.query(
        "CREATE TABLE kpi (period String, period_start Date, scope String, scope_key String,"
            + " accepted UInt64, completed UInt64, rejected UInt64, completed_on_time UInt64,"
            + " completed_online UInt64, completed_zero_visit UInt64,"
            + " processing_hours_sum Float64, processing_hours_max Float64,"
            + " promised_days_sum UInt64, statutory_days_sum UInt64,"
            + " satisfaction_responses UInt64, satisfaction_positive UInt64)"
            + " ENGINE = MergeTree ORDER BY (period, period_start, scope, scope_key)");
    long t0 = System.nanoTime();
    load(db, serviceJsonLines);
    long t1 = System.nanoTime();
    ch.query(insertSelect(zone.getId()));
    long t2 = System.nanoTime();
    long events = Long.parseLong(ch.query("SELECT count() FROM raw FORMAT TSV").trim());
    long rows = Long.parseLong(ch.query("SELECT count() FROM kpi FORMAT TSV").trim());
    String year =
        ch.query(
                "SELECT sum(accepted) FROM kpi WHERE scope = 'league' AND period = 'year'"
                    + " FORMAT TSV")
            .trim();
    double load = (t1 - t0) / 1e9;
    double compute = (t2 - t1) / 1e9;
    return new PeerResult(
        "ClickHouse peer",
        events,
        load + compute,
        rows,
        Long.parseLong(year),
        String.format("load %.1f s + INSERT … SELECT %.1f s", load, compute));
  }

  /** The one statement computing every period and scope of every event. */
  static String insertSelect(String zone) {
    String z = "'" + zone + "'";
    return "INSERT INTO kpi SELECT tupleElement(p, 1) AS p_kind, tupleElement(p, 2) AS p_start,"
        + " tupleElement(s, 1) AS s_scope, tupleElement(s, 2) AS s_key,"
        + " countIf(status = 'accepted') AS n_accepted,"
        + " countIf(status = 'completed') AS n_completed,"
        + " countIf(status = 'rejected') AS n_rejected,"
        + " countIf(status = 'completed' AND hours <= promised_days * 24) AS n_on_time,"
        + " countIf(status = 'completed' AND channel = 'online') AS n_online,"
        + " countIf(status = 'completed' AND visits = 0) AS n_zero_visit,"
        + " sumIf(hours, status = 'completed') AS h_sum,"
        + " maxIf(hours, status = 'completed') AS h_max,"
        + " sumIf(promised_days, status = 'completed') AS promised,"
        + " sumIf(statutory_days, status = 'completed') AS statutory,"
        + " countIf(status = 'completed' AND isNotNull(satisfaction)) AS responses,"
        + " countIf(status = 'completed' AND ifNull(satisfaction, 0) >= 4) AS positive"
        + " FROM (SELECT *, toDate(t, "
        + z
        + ") AS d,"
        + " if(status = 'completed', (toUInt32(t) - toUInt32(parseDateTimeBestEffort(accepted_at)))"
        + " / 3600.0, 0) AS hours,"
        + " arrayJoin([('week', toMonday(d)),"
        + " ('half_month', if(toDayOfMonth(d) <= 15, toStartOfMonth(d), toStartOfMonth(d) + 15)),"
        + " ('month', toStartOfMonth(d)), ('quarter', toStartOfQuarter(d)),"
        + " ('year', toStartOfYear(d))]) AS p,"
        + " arrayJoin([('league', 'league'), ('county', county), ('department', department),"
        + " ('service', service_code), ('channel', channel)]) AS s"
        + " FROM (SELECT *, parseDateTimeBestEffort(event_time) AS t FROM raw))"
        + " GROUP BY p_kind, p_start, s_scope, s_key";
  }

  /** The file as the body of one {@code INSERT … FORMAT JSONEachRow}, streamed. */
  private static void load(ClickHouseEndpoint db, Path file)
      throws IOException, InterruptedException {
    String query = URLEncoder.encode("INSERT INTO raw FORMAT JSONEachRow", StandardCharsets.UTF_8);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create(
                    db.url()
                        + "/?database="
                        + db.database()
                        + "&input_format_skip_unknown_fields=1&query="
                        + query))
            .POST(
                HttpRequest.BodyPublishers.ofInputStream(
                    () -> {
                      try {
                        return (InputStream) Files.newInputStream(file);
                      } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                      }
                    }));
    request.header(
        "Authorization",
        "Basic "
            + Base64.getEncoder()
                .encodeToString(
                    (db.user() + ":" + java.util.Objects.toString(db.password(), ""))
                        .getBytes(StandardCharsets.UTF_8)));
    HttpResponse<String> r =
        HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("loading " + file + " into ClickHouse failed: " + r.body());
    }
  }
}
