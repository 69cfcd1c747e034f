package cn.xingan.kpi.source;

import cn.xingan.kpi.config.KpiOptions;
import cn.xingan.kpi.events.Envelope;
import cn.xingan.kpi.events.EventDecoder;
import cn.xingan.kpi.events.EventStream;
import cn.xingan.kpi.job.KpiSources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Backfill input: JSON Lines files (a file, or every regular file in a folder and below, in name
 * order), each line an event with a {@code stream} field. All streams come mixed in one input; the
 * job routes them. Meant for BATCH execution, where line order does not matter.
 */
public final class FileSources implements KpiSources {
  private final List<Path> files;
  private final KpiOptions options;

  public FileSources(Path input, KpiOptions options) {
    this.files = list(input);
    this.options = options;
  }

  /** The files a path stands for, with an error naming the path when there are none. */
  public static List<Path> list(Path input) {
    if (!Files.exists(input)) {
      throw new IllegalArgumentException("--input " + input + " does not exist");
    }
    if (Files.isRegularFile(input)) {
      return List.of(input);
    }
    try (Stream<Path> walk = Files.walk(input)) {
      List<Path> found =
          walk.filter(Files::isRegularFile)
              .filter(p -> !p.getFileName().toString().startsWith("."))
              .sorted()
              .toList();
      if (found.isEmpty()) {
        throw new IllegalArgumentException("--input " + input + " holds no files");
      }
      return found;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list --input " + input, e);
    }
  }

  /**
   * One file source per file, each decoding its lines in its reader (see {@link
   * DecodingLineFormat}).
   */
  @Override
  public Map<EventStream, DataStream<Envelope>> open(StreamExecutionEnvironment env) {
    EventDecoder decoder = new EventDecoder(-1, options.maxRecordBytes());
    DataStream<Envelope> decoded = null;
    for (Path file : files) {
      FileSource<Envelope> source =
          FileSource.forRecordStreamFormat(
                  new DecodingLineFormat(
                      new NumberedLineFormat(file.toString(), options.maxRecordBytes()), decoder),
                  new org.apache.flink.core.fs.Path(file.toUri()))
              .build();
      DataStream<Envelope> one =
          env.fromSource(
              source, WatermarkStrategy.noWatermarks(), "file " + file.getFileName() + " decoded");
      decoded = decoded == null ? one : decoded.union(one);
    }
    return Collections.singletonMap(null, decoded);
  }
}
