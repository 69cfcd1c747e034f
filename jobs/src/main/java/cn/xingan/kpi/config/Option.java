package cn.xingan.kpi.config;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * One documented option of the table ({@link OptionTable}): its long name (also its key in a config
 * file and, as {@code KPI_NAME}, in the environment), its default, one line of documentation, the
 * commands that take it and how its value is read.
 *
 * @param defaultValue the default as the user would type it; {@code null} when there is none
 * @param commandDefaults defaults that differ for a command (quickstart's shorter emit interval)
 */
public record Option(
    String name,
    String defaultValue,
    String doc,
    String group,
    Kind kind,
    Set<Command> commands,
    Map<Command, String> commandDefaults) {

  /** How a value is given. */
  public enum Kind {
    /** {@code --name VALUE} or {@code --name=VALUE}. */
    VALUE,
    /** A secret value: never printed, masked in messages. */
    SECRET,
    /** {@code --name} alone means true; {@code --name=false} is allowed. */
    FLAG,
    /** May be given more than once; a config file may give a list or a map of KEY: VALUE. */
    LIST
  }

  public Option {
    if (!name.matches("[a-z][a-z0-9]*(-[a-z0-9]+)*")) {
      throw new IllegalArgumentException("option name '" + name + "' is not kebab-case");
    }
    commands = Collections.unmodifiableSet(EnumSet.copyOf(commands));
    commandDefaults = Map.copyOf(commandDefaults);
  }

  /** The default for this command, or {@code null} when there is none. */
  public String defaultFor(Command command) {
    return commandDefaults.getOrDefault(command, defaultValue);
  }

  /** The environment variable that sets it: {@code KPI_} and the name in upper snake case. */
  public String envName() {
    return "KPI_" + name.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
  }

  public boolean isSecret() {
    return kind == Kind.SECRET;
  }
}
