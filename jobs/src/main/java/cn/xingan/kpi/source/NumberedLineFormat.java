package cn.xingan.kpi.source;

import cn.xingan.kpi.events.Origin;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;

/**
 * Reads a JSON Lines file as {@link Origin}s — the line's bytes, the file name as source and the
 * 1-based line number as offset — so a rejected line can be found again. Files are not split, so
 * line numbers are exact. Lines are not decoded as text here: invalid UTF-8 is the decoder's to
 * reject. Blank lines are skipped.
 */
public final class NumberedLineFormat implements StreamFormat<Origin> {
  private static final long serialVersionUID = 1L;

  /** Eight bytes of the buffer as one long, for the newline search. */
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final String sourceName;
  private final int maxLineBytes;

  public NumberedLineFormat(String sourceName, int maxLineBytes) {
    this.sourceName = sourceName;
    this.maxLineBytes = maxLineBytes;
  }

  @Override
  public Reader<Origin> createReader(
      Configuration config, FSDataInputStream stream, long fileLen, long splitEnd) {
    return new LineReader(stream);
  }

  @Override
  public Reader<Origin> restoreReader(
      Configuration config,
      FSDataInputStream stream,
      long restoredOffset,
      long fileLen,
      long splitEnd) {
    throw new UnsupportedOperationException(
        "backfill files are read in BATCH mode and are never restored from a checkpoint");
  }

  @Override
  public boolean isSplittable() {
    return false;
  }

  @Override
  public TypeInformation<Origin> getProducedType() {
    return TypeInformation.of(Origin.class);
  }

  /** The index of the first {@code '\n'} in {@code b[from, limit)}, or {@code limit}. */
  private static int lineEnd(byte[] b, int from, int limit) {
    int i = from;
    // eight bytes at a time: the lowest byte that is 0 after the XOR is the first newline
    while (i + 8 <= limit) {
      long x = (long) LONGS.get(b, i) ^ 0x0a0a0a0a0a0a0a0aL;
      long found = (x - 0x0101010101010101L) & ~x & 0x8080808080808080L;
      if (found != 0) {
        return i + (Long.numberOfTrailingZeros(found) >>> 3);
      }
      i += 8;
    }
    while (i < limit && b[i] != '\n') {
      i++;
    }
    return i;
  }

  /**
   * Scans its own buffer for line ends instead of reading byte by byte: {@code
   * BufferedInputStream.read()} and {@code ByteArrayOutputStream.write(int)} are synchronized per
   * byte, and took half the CPU of a backfill (JFR).
   */
  private final class LineReader implements StreamFormat.Reader<Origin> {
    private final InputStream in;
    private final byte[] buffer = new byte[64 * 1024];
    private int pos;
    private int limit;
    private byte[] line = new byte[1024];
    private long lineNumber;

    LineReader(InputStream in) {
      this.in = in;
    }

    @Override
    public Origin read() throws IOException {
      while (true) {
        int kept = 0; // bytes of the line kept: one past the limit at most
        long length = 0; // bytes of the line in the file
        int last = -1;
        boolean ended = false;
        int whole = -1; // where the line starts in the buffer, when it lies whole in it
        while (!ended) {
          if (pos == limit && !fill()) {
            break;
          }
          int from = pos;
          int to = lineEnd(buffer, from, limit);
          ended = to < limit;
          pos = ended ? to + 1 : to;
          if (to > from) {
            length += to - from;
            last = buffer[to - 1];
            // Keep one byte past the limit so the decoder still sees the record as too large.
            int keep = (int) Math.min(to - from, (long) maxLineBytes + 1 - kept);
            if (ended && length == to - from) { // this segment is the whole line
              whole = from; // copied once, below, straight from the buffer (kept is 0)
              kept = keep;
            } else if (keep > 0) {
              ensure(kept + keep);
              System.arraycopy(buffer, from, line, kept, keep);
              kept += keep;
            }
          }
        }
        if (!ended && length == 0) {
          return null;
        }
        lineNumber++;
        byte[] bytes = whole >= 0 ? buffer : line;
        int start = Math.max(whole, 0);
        int end = start + kept;
        // Drop the CR of a CRLF ending, but only when it is the line's last byte and was kept:
        // a CR at the cut of an over-long line would bring it back under the limit.
        if (last == '\r' && length == kept) {
          end--;
        }
        if (isBlank(bytes, start, end)) {
          continue;
        }
        return new Origin(sourceName, 0, lineNumber, Arrays.copyOfRange(bytes, start, end));
      }
    }

    private boolean fill() throws IOException {
      int n = in.read(buffer, 0, buffer.length);
      pos = 0;
      limit = Math.max(n, 0);
      return n > 0;
    }

    private void ensure(int size) {
      if (size > line.length) {
        line = Arrays.copyOf(line, Math.max(size, line.length * 2));
      }
    }

    private boolean isBlank(byte[] bytes, int start, int end) {
      for (int i = start; i < end; i++) {
        if (bytes[i] != ' ' && bytes[i] != '\t') {
          return false;
        }
      }
      return true;
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
