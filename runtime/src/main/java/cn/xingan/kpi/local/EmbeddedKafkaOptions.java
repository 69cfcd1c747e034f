// The command line of the background broker, parsed once so `bin/kpi` gets one clear error for a
// bad flag instead of a broker that half starts.
package cn.xingan.kpi.local;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Options of {@link EmbeddedKafka#main}.
 *
 * @param port {@code --port}: client port on 127.0.0.1; default 9092, 0 picks a free one
 * @param dir {@code --dir}: data directory (required); holds the logs and {@code bootstrap.txt}
 * @param topics {@code --topics}: comma-separated topics to create when missing; default none
 * @param partitions {@code --partitions}: partitions of those topics; default 1
 */
public record EmbeddedKafkaOptions(int port, Path dir, List<String> topics, int partitions) {

  public static final String USAGE =
      "usage: EmbeddedKafka --dir PATH [--port N (default 9092, 0 = free port)]"
          + " [--topics a,b,c] [--partitions N (default 1)]";

  public EmbeddedKafkaOptions {
    topics = List.copyOf(topics);
  }

  public static EmbeddedKafkaOptions parse(String[] args) {
    int port = 9092;
    Path dir = null;
    List<String> topics = new ArrayList<>();
    int partitions = 1;
    for (int i = 0; i < args.length; i += 2) {
      String flag = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("Option " + flag + " needs a value");
      }
      String value = args[i + 1];
      switch (flag) {
        case "--port" -> port = parseInt(flag, value, 0, 65535);
        case "--dir" -> dir = Path.of(value);
        case "--topics" -> {
          for (String topic : value.split(",")) {
            if (!topic.isBlank()) {
              topics.add(topic.trim());
            }
          }
        }
        case "--partitions" -> partitions = parseInt(flag, value, 1, 10_000);
        default ->
            throw new IllegalArgumentException(
                "Unknown option '" + flag + "'; expected --port, --dir, --topics or --partitions");
      }
    }
    if (dir == null) {
      throw new IllegalArgumentException("Option --dir PATH is required");
    }
    return new EmbeddedKafkaOptions(port, dir, topics, partitions);
  }

  private static int parseInt(String flag, String value, int min, int max) {
    try {
      int parsed = Integer.parseInt(value);
      if (parsed < min || parsed > max) {
        throw new IllegalArgumentException(
            flag + " must be between " + min + " and " + max + ", was " + value);
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " must be an integer, was '" + value + "'", e);
    }
  }
}
