package cn.xingan.kpi.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The options of one command as resolved from the command line, the environment, a config file and
 * the defaults ({@link OptionSources}), each value with where it came from. The typed getters turn
 * text into values and, when a value is not what the option expects, throw an {@link
 * OptionException} that names the option, the value and its source: the typed records are built
 * from here and nothing else parses option text.
 */
public final class OptionValues {

  /**
   * One option's value: {@code text} for single values, {@code entries} for KEY=VALUE lists; {@code
   * origin} says where it came from in words (e.g. "environment variable KPI_ZONE").
   */
  record Value(String text, Map<String, String> entries, OptionSource source, String origin) {}

  private final Command command;
  private final Map<String, Value> values;

  OptionValues(Command command, Map<String, Value> values) {
    this.command = command;
    this.values = Map.copyOf(values);
  }

  /** Every option of the command at its default. */
  public static OptionValues defaults(Command command) {
    Map<String, Value> values = new LinkedHashMap<>();
    for (Option o : OptionTable.of(command)) {
      values.put(o.name(), defaultValue(o, command));
    }
    return new OptionValues(command, values);
  }

  static Value defaultValue(Option o, Command command) {
    return new Value(o.defaultFor(command), Map.of(), OptionSource.DEFAULT, "the default");
  }

  public Command command() {
    return command;
  }

  /** These values with one option set as if on the command line (embedded runs and tests). */
  public OptionValues with(String name, String text) {
    option(name);
    Map<String, Value> copy = new LinkedHashMap<>(values);
    copy.put(name, new Value(text, Map.of(), OptionSource.COMMAND_LINE, "the command line"));
    return new OptionValues(command, copy);
  }

  /** Whether the command takes the option at all. */
  public boolean has(String name) {
    return values.containsKey(name);
  }

  /** Whether the user gave the option (in any source), as opposed to its default. */
  public boolean given(String name) {
    return value(name).source() != OptionSource.DEFAULT;
  }

  public OptionSource source(String name) {
    return value(name).source();
  }

  /** The text, or {@code null} for an option without a default that was not given. */
  public String text(String name) {
    return value(name).text();
  }

  public String required(String name) {
    String t = text(name);
    if (t == null || t.isBlank()) {
      throw new OptionException(
          "--" + name + " is required for " + command.code() + ": " + option(name).doc());
    }
    return t;
  }

  public String nonEmpty(String name) {
    String t = text(name);
    if (t == null || t.isBlank()) {
      throw invalid(name, "must not be empty");
    }
    return t;
  }

  /** The KEY=VALUE entries of a list option, in the order given. */
  public Map<String, String> entries(String name) {
    return value(name).entries();
  }

  public boolean flag(String name) {
    String t = text(name);
    if (t == null || t.equalsIgnoreCase("false")) {
      return false;
    }
    if (t.equalsIgnoreCase("true")) {
      return true;
    }
    throw invalid(name, "is not a flag value; expected true or false");
  }

  /** A duration of zero or more. */
  public Duration duration(String name) {
    try {
      return Durations.parse(text(name));
    } catch (IllegalArgumentException e) {
      throw invalid(name, e.getMessage());
    }
  }

  public Duration positiveDuration(String name) {
    Duration d = duration(name);
    if (d.isZero()) {
      throw invalid(name, "must be greater than zero");
    }
    return d;
  }

  /** A whole number in [min, max]. */
  public int integer(String name, int min, int max) {
    long n = longValue(name, min, max);
    return (int) n;
  }

  public long longValue(String name, long min, long max) {
    String t = text(name);
    try {
      long n = Long.parseLong(t == null ? "" : t.trim());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // the message below says what is expected
    }
    throw invalid(
        name,
        "is not a whole number "
            + (max == Integer.MAX_VALUE || max == Long.MAX_VALUE
                ? ">= " + min + " (at most " + max + ")"
                : "from " + min + " to " + max));
  }

  /** A finite number greater than zero. */
  public double positiveNumber(String name) {
    try {
      double d = Double.parseDouble(text(name));
      if (d > 0 && Double.isFinite(d)) {
        return d;
      }
    } catch (NumberFormatException | NullPointerException e) {
      // the message below says what is expected
    }
    throw invalid(name, "must be a number > 0");
  }

  public ZoneId zone(String name) {
    try {
      return ZoneId.of(text(name));
    } catch (DateTimeException | NullPointerException e) {
      throw invalid(name, "is not a time zone; expected a region id such as Asia/Shanghai");
    }
  }

  /** A path, or {@code null} for an option without a default that was not given. */
  public Path path(String name) {
    String t = text(name);
    if (t == null) {
      return null;
    }
    try {
      return Path.of(t);
    } catch (InvalidPathException e) {
      throw invalid(name, "is not a path: " + e.getReason());
    }
  }

  /** One of the given words. */
  public String oneOf(String name, String... allowed) {
    String t = text(name);
    for (String a : allowed) {
      if (a.equals(t)) {
        return t;
      }
    }
    throw invalid(name, "is not known; expected " + String.join(" or ", allowed));
  }

  /**
   * How a message names the option: {@code --name 'value'} and, unless it was on the command line,
   * where it came from. Secret values are masked.
   */
  public String describe(String name) {
    Value v = value(name);
    String shown = option(name).isSecret() ? "***" : v.text();
    String where =
        switch (v.source()) {
          case COMMAND_LINE -> "";
          case DEFAULT -> " (the default)";
          default -> " (from " + v.origin() + ")";
        };
    return "--" + name + " '" + shown + "'" + where;
  }

  /** An error naming the option, its value and source, and what was expected. */
  public OptionException invalid(String name, String expected) {
    return new OptionException(describe(name) + " " + expected);
  }

  private Value value(String name) {
    Value v = values.get(name);
    if (v == null) {
      Option o = option(name);
      throw new IllegalStateException(
          "--" + o.name() + " is not an option of " + command.code() + " (a bug of the caller)");
    }
    return v;
  }

  private static Option option(String name) {
    return OptionTable.get(name);
  }
}
