package cn.xingan.kpi.config;

/** Where an option's value came from, in rising precedence. */
public enum OptionSource {
  DEFAULT,
  CONFIG_FILE,
  ENVIRONMENT,
  COMMAND_LINE
}
