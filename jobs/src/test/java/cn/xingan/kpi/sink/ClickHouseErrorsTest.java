package cn.xingan.kpi.sink;

import static org.assertj.core.api.Assertions.assertThat;

import cn.xingan.kpi.config.ClickHouseEndpoint;
import java.net.ConnectException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/**
 * The split of failed writes: a wrong login or missing right is not a schema problem, and its
 * message names the user and the fix, never the password. The messages are 18.16's own texts.
 */
class ClickHouseErrorsTest {

  @Test
  void loginAndRightsErrorsAreAccessNotSchema() {
    assertThat(kindOf("Code: 193, e.displayText() = DB::Exception: Wrong password for user x"))
        .isEqualTo(ClickHouseErrors.Kind.ACCESS);
    assertThat(kindOf("Code: 192, e.displayText() = DB::Exception: Unknown user nobody"))
        .isEqualTo(ClickHouseErrors.Kind.ACCESS);
    assertThat(kindOf("Code: 516. DB::Exception: x: Authentication failed"))
        .isEqualTo(ClickHouseErrors.Kind.ACCESS);
    assertThat(kindOf("Code: 164, DB::Exception: Cannot insert into table in readonly mode"))
        .isEqualTo(ClickHouseErrors.Kind.ACCESS);
    assertThat(kindOf("Code: 291, DB::Exception: Access denied to database other for user w"))
        .isEqualTo(ClickHouseErrors.Kind.ACCESS);
    assertThat(kindOf("Code: 392, DB::Exception: Cannot drop table. DDL queries are prohibited"))
        .isEqualTo(ClickHouseErrors.Kind.ACCESS);
  }

  @Test
  void missingTablesAndColumnsAreSchemaAndOutagesAreRetriable() {
    assertThat(kindOf("Code: 60, DB::Exception: Table kpi.kpi_service doesn't exist."))
        .isEqualTo(ClickHouseErrors.Kind.SCHEMA);
    assertThat(kindOf("Code: 16, DB::Exception: No such column x in table kpi.kpi_service"))
        .isEqualTo(ClickHouseErrors.Kind.SCHEMA);
    assertThat(kindOf("Code: 279, DB::Exception: All connection tries failed"))
        .isEqualTo(ClickHouseErrors.Kind.RETRIABLE);
    assertThat(ClickHouseErrors.classify(new SQLException("x", new ConnectException("refused"))))
        .isEqualTo(ClickHouseErrors.Kind.RETRIABLE);
  }

  @Test
  void theCodeOfAnHttpFailureComesFromTheException() {
    var failure = new ClickHouseHttp.ClickHouseHttpException(193, "refused", "SELECT 1", null);
    assertThat(ClickHouseErrors.code(new RuntimeException("wrapped", failure))).isEqualTo(193);
    assertThat(ClickHouseErrors.code(new RuntimeException("no code here"))).isEqualTo(-1);
  }

  @Test
  void aWrongPasswordSaysSoAndNamesTheUserAndTheOptions() {
    String message = ClickHouseErrors.accessProblem(193, "kpi_writer", "http://h:8123");

    assertThat(message)
        .contains("http://h:8123")
        .contains("'kpi_writer'")
        .contains("password is wrong")
        .contains("--clickhouse-password")
        .doesNotContain("init-db");
  }

  @Test
  void aProhibitedDdlPointsToInitDbAsAdminAndAReadOnlyUserToTheWriter() {
    assertThat(ClickHouseErrors.accessProblem(392, "kpi_writer", "http://h:8123"))
        .contains("bin/kpi init-db")
        .contains("admin");
    assertThat(ClickHouseErrors.accessProblem(164, "kpi_reader", "http://h:8123"))
        .contains("read-only")
        .contains("kpi_writer");
  }

  @Test
  void redactReplacesEverySecretOccurrence() {
    assertThat(ClickHouseErrors.redact("a s3cret b s3cret", "s3cret")).isEqualTo("a *** b ***");
    assertThat(ClickHouseErrors.redact("text", "")).isEqualTo("text");
  }

  @Test
  void anEndpointPrintsWithoutItsPassword() {
    ClickHouseEndpoint endpoint =
        new ClickHouseEndpoint("http://h:8123", "kpi_writer", "s3cret-pw", "kpi");

    assertThat(endpoint.toString()).doesNotContain("s3cret-pw").contains("kpi_writer");
    assertThat(endpoint.as("default", "").toString()).contains("(none)");
  }

  private static ClickHouseErrors.Kind kindOf(String serverMessage) {
    return ClickHouseErrors.classify(new SQLException(serverMessage));
  }
}
