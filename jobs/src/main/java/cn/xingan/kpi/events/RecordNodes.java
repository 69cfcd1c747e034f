package cn.xingan.kpi.events;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;

/**
 * Jackson's node factory with objects sized for a record: Jackson's default map (16 slots, resized
 * at 13 entries) grows once for every service event, which has 11 to 15 fields.
 */
final class RecordNodes extends JsonNodeFactory {
  private static final long serialVersionUID = 1L;

  static final RecordNodes INSTANCE = new RecordNodes();

  private RecordNodes() {}

  @Override
  public ObjectNode objectNode() {
    return new ObjectNode(this, new LinkedHashMap<>(32));
  }
}
