package cn.xingan.kpi.source;

import cn.xingan.kpi.events.Origin;
import java.io.IOException;
import java.io.InputStream;
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
        while (!ended) {
          if (pos == limit && !fill()) {
            break;
          }
          int from = pos;
          int to = from;
          while (to < limit && buffer[to] != '\n') {
            to++;
          }
          ended = to < limit;
          pos = ended ? to + 1 : to;
          if (to > from) {
            length += to - from;
            last = buffer[to - 1];
            // Keep one byte past the limit so the decoder still sees the record as too large.
            int keep = (int) Math.min(to - from, (long) maxLineBytes + 1 - kept);
            if (keep > 0) {
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
        int end = kept;
        // Drop the CR of a CRLF ending, but only when it is the line's last byte and was kept:
        // a CR at the cut of an over-long line would bring it back under the limit.
        if (last == '\r' && length == kept) {
          end--;
        }
        if (isBlank(line, end)) {
          continue;
        }
        return new Origin(sourceName, 0, lineNumber, java.util.Arrays.copyOf(line, end));
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
        line = java.util.Arrays.copyOf(line, Math.max(size, line.length * 2));
      }
    }

    private boolean isBlank(byte[] bytes, int end) {
      for (int i = 0; i < end; i++) {
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
