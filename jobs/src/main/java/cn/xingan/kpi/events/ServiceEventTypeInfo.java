package cn.xingan.kpi.events;

import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * Flink's type of a {@link ServiceEvent}: the record as one opaque value written by {@link
 * ServiceEventSerializer}. Named on the record with {@code @TypeInfo}, so every stream of service
 * events uses it.
 */
public final class ServiceEventTypeInfo extends TypeInformation<ServiceEvent> {
  private static final long serialVersionUID = 1L;

  @Override
  public boolean isBasicType() {
    return false;
  }

  @Override
  public boolean isTupleType() {
    return false;
  }

  @Override
  public int getArity() {
    return 1;
  }

  @Override
  public int getTotalFields() {
    return 1;
  }

  @Override
  public Class<ServiceEvent> getTypeClass() {
    return ServiceEvent.class;
  }

  @Override
  public boolean isKeyType() {
    return false;
  }

  @Override
  public TypeSerializer<ServiceEvent> createSerializer(SerializerConfig config) {
    return ServiceEventSerializer.INSTANCE;
  }

  @Override
  public String toString() {
    return "ServiceEvent";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ServiceEventTypeInfo;
  }

  @Override
  public int hashCode() {
    return ServiceEventTypeInfo.class.hashCode();
  }

  @Override
  public boolean canEqual(Object o) {
    return o instanceof ServiceEventTypeInfo;
  }

  /** What {@code @TypeInfo} on {@link ServiceEvent} names. */
  public static final class Factory extends TypeInfoFactory<ServiceEvent> {
    @Override
    public TypeInformation<ServiceEvent> createTypeInfo(
        Type type, Map<String, TypeInformation<?>> parameters) {
      return new ServiceEventTypeInfo();
    }
  }
}
