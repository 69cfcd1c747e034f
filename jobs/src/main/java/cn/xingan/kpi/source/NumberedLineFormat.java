package cn.xingan.kpi.source;

import cn.xingan.kpi.events.Origin;
import java.io.ByteArrayOutputStream;
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

  private final class LineReader implements StreamFormat.Reader<Origin> {
    private final InputStream in;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(1024);
    private long lineNumber;

    LineReader(InputStream in) {
      this.in = new java.io.BufferedInputStream(in, 64 * 1024);
    }

    @Override
    public Origin read() throws IOException {
      while (true) {
        line.reset();
        int b;
        long length = 0;
        int last = -1;
        while ((b = in.read()) != -1 && b != '\n') {
          length++;
          last = b;
          // Keep one byte past the limit so the decoder still sees the record as too large.
          if (line.size() <= maxLineBytes) {
            line.write(b);
          }
        }
        if (b == -1 && length == 0) {
          return null;
        }
        lineNumber++;
        byte[] bytes = line.toByteArray();
        int end = bytes.length;
        // Drop the CR of a CRLF ending, but only when it is the line's last byte and was kept:
        // a CR at the cut of an over-long line would bring it back under the limit.
        if (last == '\r' && length == bytes.length) {
          end--;
        }
        if (isBlank(bytes, end)) {
          continue;
        }
        byte[] record = end == bytes.length ? bytes : java.util.Arrays.copyOf(bytes, end);
        return new Origin(sourceName, 0, lineNumber, record);
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
