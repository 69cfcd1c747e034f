// The broker's command line is what bin/kpi types; a typo must fail with a message naming it.
package cn.xingan.kpi.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cn.xingan.kpi.local.EmbeddedKafkaOptions;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaOptionsTest {

  @Test
  void defaultsNeedOnlyTheDirectory() {
    EmbeddedKafkaOptions options = EmbeddedKafkaOptions.parse(new String[] {"--dir", "x/kafka"});

    assertThat(options).isEqualTo(new EmbeddedKafkaOptions(9092, Path.of("x/kafka"), List.of(), 1));
  }

  @Test
  void readsEveryOption() {
    EmbeddedKafkaOptions options =
        EmbeddedKafkaOptions.parse(
            new String[] {
              "--port", "0", "--dir", "/d", "--topics", "a, b,,c", "--partitions", "3"
            });

    assertThat(options)
        .isEqualTo(new EmbeddedKafkaOptions(0, Path.of("/d"), List.of("a", "b", "c"), 3));
  }

  @Test
  void rejectsBadInputNamingIt() {
    assertThatThrownBy(() -> EmbeddedKafkaOptions.parse(new String[] {"--port", "1"}))
        .hasMessageContaining("--dir");
    assertThatThrownBy(() -> EmbeddedKafkaOptions.parse(new String[] {"--dir", "d", "--prot", "1"}))
        .hasMessageContaining("'--prot'");
    assertThatThrownBy(() -> EmbeddedKafkaOptions.parse(new String[] {"--dir", "d", "--port"}))
        .hasMessageContaining("--port needs a value");
    assertThatThrownBy(
            () -> EmbeddedKafkaOptions.parse(new String[] {"--dir", "d", "--port", "70000"}))
        .hasMessageContaining("between 0 and 65535")
        .hasMessageContaining("70000");
    assertThatThrownBy(
            () -> EmbeddedKafkaOptions.parse(new String[] {"--dir", "d", "--partitions", "two"}))
        .hasMessageContaining("'two'");
  }
}
