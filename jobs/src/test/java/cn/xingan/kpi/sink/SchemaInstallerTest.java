package cn.xingan.kpi.sink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The script index and the statement splitter, without a server (the ITCase runs them for real).
 */
class SchemaInstallerTest {

  @Test
  void indexNamesEverySqlFileOfTheFolderInNameOrder() throws IOException {
    List<String> onDisk;
    try (Stream<Path> files = Files.list(Path.of("..", "sql"))) {
      onDisk =
          files
              .map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".sql"))
              .sorted()
              .toList();
    }
    assertThat(onDisk).isNotEmpty();
    assertThat(SchemaInstaller.scripts()).containsExactlyElementsOf(onDisk);
  }

  @Test
  void splitsAtSemicolonsThatEndALineAndDropsCommentLines() {
    String script =
        "-- a comment; with a semicolon;\n"
            + "CREATE TABLE IF NOT EXISTS a\n"
            + "(x String DEFAULT 'a;b')\n"
            + "ENGINE = Memory;\n"
            + "\n"
            + "  -- another comment\n"
            + "CREATE VIEW IF NOT EXISTS v AS SELECT * FROM a ;  \n"
            + "SELECT 1";

    assertThat(SchemaInstaller.statements(script))
        .containsExactly(
            "CREATE TABLE IF NOT EXISTS a\n(x String DEFAULT 'a;b')\nENGINE = Memory",
            "CREATE VIEW IF NOT EXISTS v AS SELECT * FROM a",
            "SELECT 1");
  }

  @Test
  void everyShippedScriptHasAtLeastOneStatementAndNoDatabaseName() {
    for (String script : SchemaInstaller.scripts()) {
      List<String> statements = SchemaInstaller.statements(read(script));
      assertThat(statements).as(script).isNotEmpty();
      for (String statement : statements) {
        assertThat(statement).as(script).doesNotContainIgnoringCase("kpi.");
      }
    }
  }

  private static String read(String script) {
    try {
      return Files.readString(Path.of("..", "sql", script));
    } catch (IOException e) {
      throw new AssertionError("cannot read sql/" + script, e);
    }
  }
}
