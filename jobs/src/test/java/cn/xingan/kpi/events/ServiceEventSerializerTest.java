package cn.xingan.kpi.events;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** A service event crosses Flink's serialization unchanged, whatever its fields hold. */
class ServiceEventSerializerTest {
  private static final ServiceEvent COMPLETED =
      new ServiceEvent(
          "st-000042-2",
          1_780_000_000_123L,
          "st-000042",
          "S07",
          "不动产登记（转移登记）",
          "自然资源局",
          "兴安盟本级",
          ServiceStatus.COMPLETED,
          "online",
          20,
          5,
          1_779_990_000_000L,
          2,
          5);

  /** Nothing optional filled in: no names, no status, NONE times. */
  private static final ServiceEvent SPARSE =
      new ServiceEvent(
          "",
          Long.MIN_VALUE,
          null,
          null,
          null,
          null,
          null,
          null,
          null,
          0,
          0,
          ServiceEvent.NONE,
          -1,
          0);

  @Test
  void theRecordUsesItsOwnSerializer() {
    assertThat(TypeInformation.of(ServiceEvent.class).createSerializer(new SerializerConfigImpl()))
        .isSameAs(ServiceEventSerializer.INSTANCE);
  }

  @Test
  void eventsRoundTripFieldForField() throws Exception {
    for (ServiceEvent e : new ServiceEvent[] {COMPLETED, SPARSE}) {
      assertThat(roundTrip(e)).isEqualTo(e);
    }
  }

  @Test
  void everyStatusRoundTrips() throws Exception {
    for (ServiceStatus status : ServiceStatus.values()) {
      ServiceEvent e =
          new ServiceEvent("id", 1L, "t", "c", "n", "d", "c", status, "window", 1, 1, 1L, 1, 1);
      assertThat(roundTrip(e).status()).isEqualTo(status);
    }
  }

  @Test
  void eventsWrittenBackToBackAreReadBackInOrderAndCopiedAsBytes() throws Exception {
    DataOutputSerializer out = new DataOutputSerializer(64);
    ServiceEventSerializer.INSTANCE.serialize(COMPLETED, out);
    ServiceEventSerializer.INSTANCE.serialize(SPARSE, out);
    DataOutputSerializer copied = new DataOutputSerializer(64);
    DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
    ServiceEventSerializer.INSTANCE.copy(in, copied);
    ServiceEventSerializer.INSTANCE.copy(in, copied);
    assertThat(in.available()).isZero();
    assertThat(copied.getCopyOfBuffer()).isEqualTo(out.getCopyOfBuffer());
    DataInputDeserializer back = new DataInputDeserializer(copied.getCopyOfBuffer());
    assertThat(ServiceEventSerializer.INSTANCE.deserialize(back)).isEqualTo(COMPLETED);
    assertThat(ServiceEventSerializer.INSTANCE.deserialize(back)).isEqualTo(SPARSE);
  }

  @Test
  void theSnapshotRestoresTheSameSerializer() {
    assertThat(ServiceEventSerializer.INSTANCE.snapshotConfiguration().restoreSerializer())
        .isSameAs(ServiceEventSerializer.INSTANCE);
  }

  private static ServiceEvent roundTrip(ServiceEvent e) throws Exception {
    DataOutputSerializer out = new DataOutputSerializer(16);
    ServiceEventSerializer.INSTANCE.serialize(e, out);
    return ServiceEventSerializer.INSTANCE.deserialize(
        new DataInputDeserializer(out.getCopyOfBuffer()));
  }
}
