package cn.xingan.kpi.events;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Writes a {@link ServiceEvent} as it crosses the shuffle to the dedup (and, in a backfill, its
 * sort's buffers and spill files): the field values in order, strings as UTF-8 bytes in one block.
 * Flink's record serializer writes a string a char at a time and reaches every field by reflection;
 * in a JFR of a 2M-event backfill that was 60% of the dedup task's thread, the one the backfill
 * waits for. The event is immutable, so copies are the event itself.
 */
public final class ServiceEventSerializer extends TypeSerializerSingleton<ServiceEvent> {
  private static final long serialVersionUID = 1L;
  public static final ServiceEventSerializer INSTANCE = new ServiceEventSerializer();
  private static final ServiceStatus[] STATUSES = ServiceStatus.values();

  @Override
  public boolean isImmutableType() {
    return true;
  }

  @Override
  public ServiceEvent createInstance() {
    return null;
  }

  @Override
  public ServiceEvent copy(ServiceEvent from) {
    return from;
  }

  @Override
  public ServiceEvent copy(ServiceEvent from, ServiceEvent reuse) {
    return from;
  }

  @Override
  public int getLength() {
    return -1;
  }

  @Override
  public void serialize(ServiceEvent e, DataOutputView out) throws IOException {
    writeString(e.eventId(), out);
    out.writeLong(e.eventTime());
    writeString(e.transactionId(), out);
    writeString(e.serviceCode(), out);
    writeString(e.serviceName(), out);
    writeString(e.department(), out);
    writeString(e.county(), out);
    out.writeByte(e.status() == null ? -1 : e.status().ordinal());
    writeString(e.channel(), out);
    out.writeInt(e.statutoryDays());
    out.writeInt(e.promisedDays());
    out.writeLong(e.acceptedAt());
    out.writeInt(e.visits());
    out.writeInt(e.satisfaction());
  }

  @Override
  public ServiceEvent deserialize(DataInputView in) throws IOException {
    String eventId = readString(in);
    long eventTime = in.readLong();
    String transactionId = readString(in);
    String serviceCode = readString(in);
    String serviceName = readString(in);
    String department = readString(in);
    String county = readString(in);
    byte status = in.readByte();
    String channel = readString(in);
    return new ServiceEvent(
        eventId,
        eventTime,
        transactionId,
        serviceCode,
        serviceName,
        department,
        county,
        status < 0 ? null : STATUSES[status],
        channel,
        in.readInt(),
        in.readInt(),
        in.readLong(),
        in.readInt(),
        in.readInt());
  }

  @Override
  public ServiceEvent deserialize(ServiceEvent reuse, DataInputView in) throws IOException {
    return deserialize(in);
  }

  @Override
  public void copy(DataInputView in, DataOutputView out) throws IOException {
    serialize(deserialize(in), out);
  }

  @Override
  public TypeSerializerSnapshot<ServiceEvent> snapshotConfiguration() {
    return new Snapshot();
  }

  /** A string as its UTF-8 length and bytes; {@code null} as length -1. */
  static void writeString(String s, DataOutputView out) throws IOException {
    if (s == null) {
      out.writeInt(-1);
      return;
    }
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  static String readString(DataInputView in) throws IOException {
    int length = in.readInt();
    if (length < 0) {
      return null;
    }
    byte[] bytes = new byte[length];
    in.readFully(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** The serializer has no parameters; the snapshot only names it. */
  public static final class Snapshot extends SimpleTypeSerializerSnapshot<ServiceEvent> {
    public Snapshot() {
      super(() -> INSTANCE);
    }
  }
}
