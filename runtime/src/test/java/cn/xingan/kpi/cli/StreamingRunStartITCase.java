package cn.xingan.kpi.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cn.xingan.kpi.config.EngineOptions;
import cn.xingan.kpi.config.KpiOptions;
import cn.xingan.kpi.testing.KafkaExtension;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where a streaming run starts from, against a real broker: the latest snapshot in the state dir; a
 * refusal when the group has committed offsets but there is no state; --reset-state deleting the
 * group's offsets (and not resuming what the state dir holds).
 */
class StreamingRunStartITCase {
  @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();

  @TempDir Path dir;

  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

  private KpiOptions job(String group) {
    return KpiOptions.builder()
        .kafkaBootstrap(KAFKA.bootstrapServers())
        .kafkaGroupId(group)
        .build();
  }

  private EngineOptions engine() {
    return EngineOptions.defaults().withStateDir(dir.resolve("state"));
  }

  private Map<TopicPartition, OffsetAndMetadata> committed(String group) throws Exception {
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers()))) {
      return admin
          .listConsumerGroupOffsets(group)
          .partitionsToOffsetAndMetadata()
          .get(30, TimeUnit.SECONDS);
    }
  }

  private String groupWithOffsets() {
    String group = "g-" + UUID.randomUUID();
    KAFKA.createTopics(2, "service-transactions");
    // commits the topic's end offsets for the group; nothing is produced into the topic the
    // other ITCases of this JVM share
    KAFKA.client().startGroupAtTheEnd(group, "service-transactions");
    return group;
  }

  @Test
  void aNewGroupWithoutStateStartsFromTheBeginning() throws Exception {
    Path restore =
        StreamingRun.restorePoint(job("g-" + UUID.randomUUID()), engine(), null, false, out);
    assertThat(restore).isNull();
    assertThat(printed.toString(StandardCharsets.UTF_8)).contains("No state in");
  }

  @Test
  void committedOffsetsWithoutStateAreRefusedNamingGroupDirAndWaysOut() throws Exception {
    String group = groupWithOffsets();
    assertThatThrownBy(() -> StreamingRun.restorePoint(job(group), engine(), null, false, out))
        .isInstanceOf(StreamingRun.StateMissingException.class)
        .hasMessageContaining("'" + group + "'")
        .hasMessageContaining("service-transactions")
        .hasMessageContaining(dir.resolve("state").toAbsolutePath().toString())
        .hasMessageContaining("--state-dir")
        .hasMessageContaining("--from-savepoint")
        .hasMessageContaining("--reset-state");
    assertThat(committed(group)).isNotEmpty(); // nothing was changed
  }

  @Test
  void resetStateDeletesTheGroupsOffsets() throws Exception {
    String group = groupWithOffsets();
    assertThat(committed(group)).isNotEmpty();
    assertThat(StreamingRun.restorePoint(job(group), engine(), null, true, out)).isNull();
    assertThat(committed(group).values()).allMatch(o -> o == null);
    // the next start of the group is a plain first start
    assertThat(StreamingRun.restorePoint(job(group), engine(), null, false, out)).isNull();
  }

  @Test
  void theStateDirWinsOverTheOffsetsAndResetStateIgnoresIt() throws Exception {
    String group = groupWithOffsets();
    Path chk = Files.createDirectories(dir.resolve("state/checkpoints/job1/chk-4"));
    Files.writeString(chk.resolve("_metadata"), "x");
    assertThat(StreamingRun.restorePoint(job(group), engine(), null, false, out)).isEqualTo(chk);
    assertThat(StreamingRun.restorePoint(job(group), engine(), null, true, out)).isNull();
    assertThat(chk.resolve("_metadata")).exists();
  }

  @Test
  void fromSavepointMustBeASnapshot() throws Exception {
    Path nothing = dir.resolve("nothing");
    assertThatThrownBy(() -> StreamingRun.restorePoint(job("g"), engine(), nothing, false, out))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--from-savepoint " + nothing)
        .hasMessageContaining("_metadata");
    Path sp = Files.createDirectories(dir.resolve("sp"));
    Files.writeString(sp.resolve("_metadata"), "x");
    assertThat(StreamingRun.restorePoint(job("g"), engine(), sp, false, out))
        .isEqualTo(sp.toAbsolutePath());
  }
}
