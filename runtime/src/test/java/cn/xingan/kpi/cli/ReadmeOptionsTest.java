package cn.xingan.kpi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import cn.xingan.kpi.config.OptionTable;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's table of options is the option table, so the two cannot drift apart. */
class ReadmeOptionsTest {
  static final String BEGIN = "<!-- options:begin (generated from OptionTable; keep in sync) -->";
  static final String END = "<!-- options:end -->";

  @Test
  void theReadmeListsEveryOptionAsTheTableHasIt() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    int begin = readme.indexOf(BEGIN);
    int end = readme.indexOf(END);
    assertThat(begin).as("README.md has the options table markers").isNotNegative();
    assertThat(end).isGreaterThan(begin);
    String table = readme.substring(begin + BEGIN.length(), end).strip();
    assertThat(table)
        .as(
            "README.md's options table; print it with: java -cp jobs/target/classes cn.xingan.kpi.config.OptionTable")
        .isEqualTo(OptionTable.markdown().strip());
  }
}
