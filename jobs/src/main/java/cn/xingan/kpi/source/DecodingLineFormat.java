package cn.xingan.kpi.source;

import cn.xingan.kpi.events.Envelope;
import cn.xingan.kpi.events.EventDecoder;
import cn.xingan.kpi.events.Origin;
import java.io.IOException;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;

/**
 * A {@link NumberedLineFormat} whose lines are decoded by the reader itself. A {@link
 * StreamFormat}'s reader runs in the file source's fetcher thread, not the task's: decoding there
 * puts the decoder (two thirds of a backfill's CPU, JFR) on one thread and admission, the dedup and
 * the day slices on the other, with records handed over in memory, as Flink hands over the batches
 * it reads. A map after the source would run both on the task's thread.
 */
public final class DecodingLineFormat implements StreamFormat<Envelope> {
  private static final long serialVersionUID = 1L;

  private final NumberedLineFormat lines;
  private final EventDecoder decoder;

  public DecodingLineFormat(NumberedLineFormat lines, EventDecoder decoder) {
    this.lines = lines;
    this.decoder = decoder;
  }

  @Override
  public Reader<Envelope> createReader(
      Configuration config, FSDataInputStream stream, long fileLen, long splitEnd)
      throws IOException {
    return new Decoding(lines.createReader(config, stream, fileLen, splitEnd), decoder);
  }

  @Override
  public Reader<Envelope> restoreReader(
      Configuration config,
      FSDataInputStream stream,
      long restoredOffset,
      long fileLen,
      long splitEnd)
      throws IOException {
    return new Decoding(
        lines.restoreReader(config, stream, restoredOffset, fileLen, splitEnd), decoder);
  }

  @Override
  public boolean isSplittable() {
    return lines.isSplittable();
  }

  @Override
  public TypeInformation<Envelope> getProducedType() {
    return TypeInformation.of(Envelope.class);
  }

  /** Decodes a line whose stream is named by its own {@code stream} field. */
  private record Decoding(Reader<Origin> lines, EventDecoder decoder) implements Reader<Envelope> {
    @Override
    public Envelope read() throws IOException {
      Origin line = lines.read();
      return line == null ? null : decoder.decode(null, line, System.currentTimeMillis());
    }

    @Override
    public void close() throws IOException {
      lines.close();
    }
  }
}
