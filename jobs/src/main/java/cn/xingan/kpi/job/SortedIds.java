package cn.xingan.kpi.job;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The ids {@link DropDuplicates} remembers when its input comes sorted by key (a BATCH run): the
 * events of a key are adjacent, so only the current key's ids are held, and they go when the key
 * changes. The key is the id itself or its {@link IdHash}; with a hash, the few ids that share it
 * are told apart here.
 */
final class SortedIds {
  private Object key;
  private final List<String> ids = new ArrayList<>(2);

  /** Whether this is the first event of the id; events must come grouped by their key. */
  boolean first(Object key, String id) {
    if (!Objects.equals(key, this.key)) {
      this.key = key;
      ids.clear();
    } else if (ids.contains(id)) {
      return false;
    }
    ids.add(id);
    return true;
  }

  void clear() {
    key = null;
    ids.clear();
  }
}
