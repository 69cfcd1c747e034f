package cn.xingan.kpi.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cn.xingan.kpi.local.KpiUsers.Role;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * The committed users.d file gives each user the rights of its job, names no password, and the
 * launcher's passwords live only in an owner-only file. (KpiUsersITCase checks the server agrees.)
 */
class KpiUsersTest {

  @Test
  void theCommittedFileGivesEachUserItsProfileAndNoPassword() throws Exception {
    Document xml = parse(KpiUsers.usersXml("kpi"));

    assertThat(setting(xml, "kpi_writer", "allow_ddl")).isEqualTo("0");
    assertThat(setting(xml, "kpi_writer", "insert_distributed_sync")).isEqualTo("1");
    assertThat(setting(xml, "kpi_reader", "readonly")).isEqualTo("1");
    assertThat(setting(xml, "kpi_planner", "readonly")).isEqualTo("2");
    assertThat(setting(xml, "kpi_planner", "max_execution_time")).isEqualTo("60");
    assertThat(setting(xml, "kpi_planner", "max_memory_usage")).isEqualTo("2000000000");
    assertThat(setting(xml, "kpi_planner", "max_result_rows")).isEqualTo("1000000");
    for (Role role : Role.values()) {
      Element user = child(child(xml.getDocumentElement(), "users"), role.user());
      assertThat(child(user, "profile").getTextContent()).isEqualTo(role.user());
      Element hash = child(user, "password_sha256_hex");
      assertThat(hash.getAttribute("from_env")).isEqualTo(role.hashVariable());
      assertThat(hash.getTextContent()).as("no hash committed").isEmpty();
      assertThat(user.getElementsByTagName("password").getLength()).isZero();
      assertThat(child(child(user, "allow_databases"), "database").getTextContent())
          .isEqualTo("kpi");
    }
  }

  @Test
  void theFileIsRenderedForAnotherDatabaseAndRefusesANonIdentifier() throws Exception {
    Document xml = parse(KpiUsers.usersXml("kpi_test_1"));

    assertThat(xml.getElementsByTagName("database").getLength()).isEqualTo(3);
    for (int i = 0; i < 3; i++) {
      assertThat(xml.getElementsByTagName("database").item(i).getTextContent())
          .isEqualTo("kpi_test_1");
    }
    assertThatThrownBy(() -> KpiUsers.usersXml("kpi</database>"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("plain identifier");
  }

  @Test
  void passwordsAreMadeOnceKeptOwnerOnlyAndGivenToTheServerAsHashes(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("clickhouse").resolve(KpiUsers.FILE);

    KpiUsers first = KpiUsers.loadOrCreate(file);
    KpiUsers again = KpiUsers.loadOrCreate(file);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    for (Role role : Role.values()) {
      assertThat(first.password(role)).hasSizeGreaterThanOrEqualTo(20);
      assertThat(again.password(role)).isEqualTo(first.password(role));
    }
    assertThat(first.password(Role.WRITER)).isNotEqualTo(first.password(Role.READER));
    // sha256("abc"), the FIPS 180-2 example
    assertThat(KpiUsers.sha256Hex("abc"))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(first.serverEnvironment())
        .containsEntry(
            "KPI_WRITER_PASSWORD_SHA256", KpiUsers.sha256Hex(first.password(Role.WRITER)))
        .hasSize(3)
        .doesNotContainValue(first.password(Role.WRITER));
  }

  @Test
  void aLooseFileIsMadeOwnerOnlyAgain(@TempDir Path dir) throws Exception {
    Path file = dir.resolve(KpiUsers.FILE);
    KpiUsers.loadOrCreate(file);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    KpiUsers.load(file);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
  }

  private static Document parse(String xml) throws Exception {
    return DocumentBuilderFactory.newInstance()
        .newDocumentBuilder()
        .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
  }

  private static String setting(Document xml, String profile, String name) {
    return child(child(child(xml.getDocumentElement(), "profiles"), profile), name)
        .getTextContent();
  }

  private static Element child(Element parent, String name) {
    for (var n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) {
        return e;
      }
    }
    throw new AssertionError("<" + parent.getTagName() + "> has no <" + name + ">");
  }
}
