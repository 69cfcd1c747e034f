package cn.xingan.kpi.source;

import cn.xingan.kpi.events.Envelope;
import cn.xingan.kpi.events.EventDecoder;
import cn.xingan.kpi.events.Origin;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;

/**
 * A {@link NumberedLineFormat} whose lines are decoded by the reader itself. A {@link
 * StreamFormat}'s reader runs in the file source's fetcher thread, not the task's: decoding there
 * puts the decoder on one thread and admission, the dedup and the day slices on the other, with
 * records handed over in memory, as Flink hands over the batches it reads. A map after the source
 * would run both on the task's thread.
 *
 * <p>Decoding is still most of a backfill's CPU (the fetcher thread had 570 JFR samples to the task
 * thread's 422, and never waited for it), so where the machine has a second core the reader also
 * hands every other chunk of lines to a helper thread of its own, and returns the envelopes in the
 * file's order. One file is one split (line numbers must be exact), so Flink's own parallelism
 * cannot spread one file's decoding.
 */
public final class DecodingLineFormat implements StreamFormat<Envelope> {
  private static final long serialVersionUID = 1L;

  /** Lines per chunk: a thousand decodes take milliseconds, the hand-over microseconds. */
  static final int CHUNK_LINES = 1024;

  /** A chunk also ends past this many bytes, so long lines do not pile up. */
  static final int CHUNK_BYTES = 1 << 20;

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
    return new Decoding(lines.createReader(config, stream, fileLen, splitEnd), decoder, helper());
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
        lines.restoreReader(config, stream, restoredOffset, fileLen, splitEnd), decoder, helper());
  }

  @Override
  public boolean isSplittable() {
    return lines.isSplittable();
  }

  @Override
  public TypeInformation<Envelope> getProducedType() {
    return TypeInformation.of(Envelope.class);
  }

  private ExecutorService helper() {
    if (Runtime.getRuntime().availableProcessors() < 2) {
      return null;
    }
    String name = "decode helper of " + Thread.currentThread().getName();
    return Executors.newSingleThreadExecutor(
        task -> {
          Thread t = new Thread(task, name);
          t.setDaemon(true);
          return t;
        });
  }

  /**
   * Reads chunk k+1 and decodes it while the helper decodes chunk k, then returns k's envelopes and
   * k+1's and hands chunk k+2 to the helper before they are taken, so it works while they are.
   */
  private static final class Decoding implements Reader<Envelope> {
    private final Reader<Origin> lines;
    private final EventDecoder decoder;
    private final EventDecoder helperDecoder;
    private final ExecutorService helper;
    private final ArrayDeque<Envelope> ready = new ArrayDeque<>();
    private Future<List<Envelope>> ahead;
    private boolean linesEnded;

    Decoding(Reader<Origin> lines, EventDecoder decoder, ExecutorService helper) {
      this.lines = lines;
      this.decoder = decoder;
      this.helperDecoder = helper == null ? null : decoder.copy();
      this.helper = helper;
    }

    @Override
    public Envelope read() throws IOException {
      if (ready.isEmpty()) {
        fill();
      }
      return ready.poll();
    }

    private void fill() throws IOException {
      if (helper == null) {
        ready.addAll(decode(chunk(), decoder));
        return;
      }
      if (ahead == null) {
        List<Origin> first = chunk();
        if (first.isEmpty()) {
          return;
        }
        ahead = helper.submit(() -> decode(first, helperDecoder));
      }
      List<Envelope> mine = decode(chunk(), decoder);
      ready.addAll(await(ahead));
      ready.addAll(mine);
      List<Origin> next = chunk();
      ahead = next.isEmpty() ? null : helper.submit(() -> decode(next, helperDecoder));
    }

    private List<Origin> chunk() throws IOException {
      List<Origin> chunk = new ArrayList<>();
      long bytes = 0;
      while (!linesEnded && chunk.size() < CHUNK_LINES && bytes < CHUNK_BYTES) {
        Origin line = lines.read();
        if (line == null) {
          linesEnded = true;
        } else {
          chunk.add(line);
          bytes += line.raw().length;
        }
      }
      return chunk;
    }

    private static List<Envelope> decode(List<Origin> chunk, EventDecoder decoder) {
      List<Envelope> out = new ArrayList<>(chunk.size());
      for (Origin line : chunk) {
        out.add(decoder.decode(null, line, System.currentTimeMillis()));
      }
      return out;
    }

    private static List<Envelope> await(Future<List<Envelope>> chunk) throws IOException {
      try {
        return chunk.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while the helper decoded lines");
      } catch (ExecutionException e) {
        if (e.getCause() instanceof RuntimeException r) {
          throw r;
        }
        if (e.getCause() instanceof Error err) {
          throw err;
        }
        throw new IOException("the helper failed to decode lines", e.getCause());
      }
    }

    @Override
    public void close() throws IOException {
      if (helper != null) {
        helper.shutdownNow();
      }
      lines.close();
    }
  }
}
