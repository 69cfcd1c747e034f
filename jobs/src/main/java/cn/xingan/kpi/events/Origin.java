package cn.xingan.kpi.events;

import java.nio.ByteBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Where a record came from (topic or file, partition, offset) and its bytes, kept by reference (no
 * copy) until the event is admitted, so that a rejection can quote the original record.
 */
public record Origin(String source, int partition, long offset, byte[] raw) {

  /**
   * A rejection of this record; {@code raw} is cut to the first 64 KiB (not inside a character),
   * bad UTF-8 replaced.
   */
  public Rejection reject(long receivedAt, String eventId, String reason, String detail) {
    return new Rejection(
        receivedAt,
        source,
        partition,
        offset,
        eventId == null ? "" : eventId,
        reason,
        detail,
        rawText(raw),
        raw == null
            ? new byte[0]
            : java.util.Arrays.copyOf(raw, Math.min(raw.length, Rejection.RAW_LIMIT_BYTES)));
  }

  static String rawText(byte[] bytes) {
    if (bytes == null) {
      return "";
    }
    int length = Math.min(bytes.length, Rejection.RAW_LIMIT_BYTES);
    if (length < bytes.length) {
      // Cut before a character split by the limit (at most 3 continuation bytes back), rather
      // than ending on a replacement character that makes the text longer than the limit.
      int cut = length;
      while (cut > length - 3 && cut > 0 && (bytes[cut] & 0xC0) == 0x80) {
        cut--;
      }
      if ((bytes[cut] & 0xC0) != 0x80) {
        length = cut;
      }
    }
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    try {
      return decoder.decode(ByteBuffer.wrap(bytes, 0, length)).toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new IllegalStateException("a replacing decoder cannot fail", e);
    }
  }
}
