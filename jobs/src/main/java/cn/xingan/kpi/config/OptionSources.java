package cn.xingan.kpi.config;

import cn.xingan.kpi.config.Option.Kind;
import cn.xingan.kpi.config.OptionValues.Value;
import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads a command's options from the three places CONTRACT.md §4 names — a YAML config file ({@code
 * --config FILE} or {@code KPI_CONFIG}; keys are the long option names), the environment ({@code
 * KPI_} + the name in upper snake case) and the command line — and resolves them in that order of
 * precedence over the defaults of {@link OptionTable}.
 *
 * <p>An option the table does not know is an error wherever it appears. An option that belongs to
 * another command is an error on the command line, and ignored in the environment and in a config
 * file (one file or environment can serve every command). {@code CLICKHOUSE_PASSWORD} is read as
 * the contract says, below {@code KPI_CLICKHOUSE_PASSWORD}.
 */
public final class OptionSources {
  /** Environment variables with the prefix that are not options (bin/kpi's JVM flags). */
  static final Set<String> RESERVED_ENV = Set.of("KPI_JAVA_OPTS");

  static final String PASSWORD_ENV = "CLICKHOUSE_PASSWORD";

  private OptionSources() {}

  /** The options of {@code command} from these arguments and this environment. */
  public static OptionValues resolve(Command command, String[] args, Map<String, String> env) {
    Map<String, Value> cli = commandLine(command, args);
    Map<String, Value> environment = environment(command, env);
    Map<String, Value> file = Map.of();
    Value config = cli.containsKey("config") ? cli.get("config") : environment.get("config");
    if (config != null) {
      file = configFile(command, config);
    }
    Map<String, Value> resolved = new LinkedHashMap<>();
    for (Option o : OptionTable.of(command)) {
      Value v = OptionValues.defaultValue(o, command);
      for (Map<String, Value> level : List.of(file, environment, cli)) {
        Value next = level.get(o.name());
        if (next != null) {
          v = o.kind() == Kind.LIST ? mergeEntries(v, next) : next;
        }
      }
      resolved.put(o.name(), v);
    }
    return new OptionValues(command, resolved);
  }

  private static Map<String, Value> commandLine(Command command, String[] args) {
    Map<String, Value> values = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--") || arg.length() == 2) {
        throw new OptionException(
            "unexpected argument '" + arg + "'; options start with --, e.g. --zone Asia/Shanghai");
      }
      String name = arg.substring(2);
      String text = null;
      int eq = name.indexOf('=');
      if (eq >= 0) {
        text = name.substring(eq + 1);
        name = name.substring(0, eq);
      }
      Option o = applicable(command, name, "--" + name, true);
      if (text == null) {
        if (o.kind() == Kind.FLAG) {
          text = "true";
        } else if (i + 1 < args.length && !args[i + 1].startsWith("--")) {
          text = args[++i];
        } else {
          throw new OptionException("--" + name + " needs a value: " + o.doc());
        }
      }
      put(values, o, text, OptionSource.COMMAND_LINE, "the command line");
    }
    return values;
  }

  private static Map<String, Value> environment(Command command, Map<String, String> env) {
    Map<String, Value> values = new LinkedHashMap<>();
    Map<String, Option> byEnv =
        OptionTable.all().stream().collect(Collectors.toMap(Option::envName, o -> o));
    for (Map.Entry<String, String> e : new java.util.TreeMap<>(env).entrySet()) {
      String key = e.getKey();
      if (!key.startsWith("KPI_") || RESERVED_ENV.contains(key)) {
        continue;
      }
      Option o = byEnv.get(key);
      if (o == null) {
        throw new OptionException(
            "unknown option in the environment: "
                + key
                + " (there is no option --"
                + key.substring(4).toLowerCase(java.util.Locale.ROOT).replace('_', '-')
                + "); see --help for the options");
      }
      if (!o.commands().contains(command)) {
        continue;
      }
      String origin = "environment variable " + key;
      if (o.kind() == Kind.LIST) {
        for (String item : e.getValue().split("[\\n,]")) {
          if (!item.isBlank()) {
            put(values, o, item.trim(), OptionSource.ENVIRONMENT, origin);
          }
        }
      } else {
        put(values, o, e.getValue(), OptionSource.ENVIRONMENT, origin);
      }
    }
    String password = env.get(PASSWORD_ENV);
    if (password != null && !values.containsKey("clickhouse-password")) {
      Option o = OptionTable.get("clickhouse-password");
      if (o.commands().contains(command)) {
        put(values, o, password, OptionSource.ENVIRONMENT, "environment variable " + PASSWORD_ENV);
      }
    }
    return values;
  }

  private static Map<String, Value> configFile(Command command, Value config) {
    Path path = Path.of(config.text());
    String origin = "config file " + path;
    JsonNode root;
    try {
      root = new YAMLMapper().readTree(Files.readString(path));
    } catch (NoSuchFileException e) {
      throw new OptionException("--config '" + path + "': no such file");
    } catch (JacksonException e) {
      throw new OptionException(
          "--config '" + path + "' is not valid YAML: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new OptionException("--config '" + path + "' cannot be read: " + e.getMessage(), e);
    }
    Map<String, Value> values = new LinkedHashMap<>();
    if (root == null || root.isMissingNode() || root.isNull()) {
      return values; // an empty file sets nothing
    }
    if (!root.isObject()) {
      throw new OptionException(
          origin + " must be a mapping of option names to values, e.g. 'zone: Asia/Shanghai'");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = e.getKey();
      if (key.equals("config")) {
        throw new OptionException(origin + ": 'config' cannot be set inside a config file");
      }
      Option o = applicable(command, key, "'" + key + "' in " + origin, false);
      if (o == null) {
        continue;
      }
      JsonNode node = e.getValue();
      if (o.kind() == Kind.LIST && node.isObject()) {
        node.fields()
            .forEachRemaining(
                kv ->
                    put(
                        values,
                        o,
                        kv.getKey() + "=" + scalar(kv.getValue(), key, origin),
                        OptionSource.CONFIG_FILE,
                        origin));
      } else if (o.kind() == Kind.LIST && node.isArray()) {
        for (JsonNode item : node) {
          put(values, o, scalar(item, key, origin), OptionSource.CONFIG_FILE, origin);
        }
      } else {
        put(values, o, scalar(node, key, origin), OptionSource.CONFIG_FILE, origin);
      }
    }
    return values;
  }

  private static String scalar(JsonNode node, String key, String origin) {
    if (node == null || node.isNull()) {
      throw new OptionException("'" + key + "' in " + origin + " has no value");
    }
    if (node.isContainerNode()) {
      throw new OptionException(
          "'" + key + "' in " + origin + " must be a single value, not a list or a mapping");
    }
    return node.asText();
  }

  /**
   * The option of that name if this command takes it; {@code null} for another command's option
   * when {@code strict} is false.
   */
  private static Option applicable(Command command, String name, String where, boolean strict) {
    Option o =
        OptionTable.find(name)
            .orElseThrow(
                () ->
                    new OptionException(
                        "unknown option "
                            + where
                            + "; see bin/kpi "
                            + command.code()
                            + " --help for the options"));
    if (!o.commands().contains(command)) {
      if (!strict) {
        return null;
      }
      throw new OptionException(
          "--"
              + name
              + " is not an option of "
              + command.code()
              + " (it is one of "
              + o.commands().stream().map(Command::code).collect(Collectors.joining(", "))
              + ")");
    }
    return o;
  }

  private static void put(
      Map<String, Value> values, Option o, String text, OptionSource source, String origin) {
    if (o.kind() != Kind.LIST) {
      values.put(o.name(), new Value(text, Map.of(), source, origin)); // the last one wins
      return;
    }
    int eq = text.indexOf('=');
    if (eq <= 0) {
      throw new OptionException(
          "--" + o.name() + " '" + text + "' (from " + origin + ") is not KEY=VALUE");
    }
    Value before = values.get(o.name());
    Map<String, String> entries = new LinkedHashMap<>(before == null ? Map.of() : before.entries());
    entries.put(text.substring(0, eq).trim(), text.substring(eq + 1));
    values.put(o.name(), new Value(null, entries, source, origin));
  }

  /** A list option's entries from a higher level replace those of the same key below it. */
  private static Value mergeEntries(Value lower, Value higher) {
    Map<String, String> entries = new LinkedHashMap<>(lower.entries());
    entries.putAll(higher.entries());
    return new Value(null, entries, higher.source(), higher.origin());
  }
}
