package cn.xingan.kpi.config;

import java.io.Serializable;
import java.net.URI;

/**
 * Where ClickHouse is and who we are there: the HTTP URL (for DDL and reads), the credentials and
 * the database. The JDBC URL for the sink is derived from the same HTTP URL.
 */
public record ClickHouseEndpoint(String url, String user, String password, String database)
    implements Serializable {

  public ClickHouseEndpoint {
    if (url == null || !(url.startsWith("http://") || url.startsWith("https://"))) {
      throw new IllegalArgumentException(
          "ClickHouse URL '"
              + url
              + "' must start with http:// or https://, e.g. http://127.0.0.1:8123");
    }
    url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    URI.create(url);
    user = user == null || user.isEmpty() ? "default" : user;
    password = password == null ? "" : password;
    if (database == null || !database.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new IllegalArgumentException(
          "database '" + database + "' must be a plain identifier ([A-Za-z_][A-Za-z0-9_]*)");
    }
  }

  /** The clickhouse-jdbc URL for the same server, e.g. {@code jdbc:clickhouse:http://host:8123}. */
  public String jdbcUrl() {
    return "jdbc:clickhouse:" + url;
  }

  /**
   * The endpoint without its password, which must never reach a log line or a message (a record's
   * own toString would print it, and options records that hold an endpoint get printed).
   */
  @Override
  public String toString() {
    return "ClickHouseEndpoint[url="
        + url
        + ", user="
        + user
        + ", password="
        + (password.isEmpty() ? "(none)" : "***")
        + ", database="
        + database
        + "]";
  }

  /** The same server and database as another user. */
  public ClickHouseEndpoint as(String otherUser, String otherPassword) {
    return new ClickHouseEndpoint(url, otherUser, otherPassword, database);
  }

  /** The same server and user in another database. */
  public ClickHouseEndpoint inDatabase(String otherDatabase) {
    return new ClickHouseEndpoint(url, user, password, otherDatabase);
  }

  /** A table name qualified with the database. */
  public String table(String name) {
    return database + "." + name;
  }
}
