package cn.xingan.kpi.bench.pipeline;

import java.io.IOException;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * A JFR recording (the JDK's "profile" settings) of one run, summed up as the methods the CPU
 * samples were in (top of stack), and the job's own code by the first frame of ours on the stack:
 * what to look at when a goal is missed.
 */
final class Profile implements AutoCloseable {
  private final Recording recording;
  private final Path file;

  Profile(Path file) throws IOException, ParseException {
    this.file = file;
    this.recording = new Recording(Configuration.getConfiguration("profile"));
    recording.start();
  }

  /** Stops the recording; the {@code top} methods by self samples and by ours-on-stack. */
  List<String> summary(int top) throws IOException {
    recording.stop();
    recording.dump(file);
    Map<String, Integer> self = new HashMap<>();
    Map<String, Integer> ours = new HashMap<>();
    int samples = 0;
    for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
      String type = e.getEventType().getName();
      boolean nativeSample = type.equals("jdk.NativeMethodSample");
      if (!(type.equals("jdk.ExecutionSample") || nativeSample) || e.getStackTrace() == null) {
        continue;
      }
      List<RecordedFrame> frames = e.getStackTrace().getFrames();
      // of the threads in native code only RocksDB's calls: the others wait (sockets, epoll)
      if (frames.isEmpty()
          || nativeSample
              && !frames.get(0).getMethod().getType().getName().startsWith("org.rocksdb.")) {
        continue;
      }
      samples++;
      self.merge(name(frames.get(0)), 1, Integer::sum);
      for (RecordedFrame f : frames) {
        if (f.getMethod().getType().getName().startsWith("cn.xingan.kpi.")) {
          ours.merge(name(f), 1, Integer::sum);
          break;
        }
      }
    }
    List<String> lines = new ArrayList<>();
    lines.add(
        String.format(
            "%,d CPU samples (JFR, with RocksDB's native calls; %s); top of stack:",
            samples, file));
    lines.addAll(top(self, samples, top));
    lines.add("innermost frame of the job's own code (cn.xingan.kpi) on the stack:");
    lines.addAll(top(ours, samples, top));
    return lines;
  }

  private static List<String> top(Map<String, Integer> counts, int samples, int n) {
    return counts.entrySet().stream()
        .sorted((a, b) -> b.getValue() - a.getValue())
        .limit(n)
        .map(
            e ->
                String.format(
                    "  %5.1f%%  %s", 100.0 * e.getValue() / Math.max(1, samples), e.getKey()))
        .toList();
  }

  private static String name(RecordedFrame f) {
    return f.getMethod().getType().getName() + "." + f.getMethod().getName();
  }

  @Override
  public void close() {
    recording.close();
  }
}
