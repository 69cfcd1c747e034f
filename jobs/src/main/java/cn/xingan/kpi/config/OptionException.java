package cn.xingan.kpi.config;

/**
 * A bad option: unknown, not taken by the command, or a value that is not what the option expects.
 * The message names the option, its value (masked when secret), where it came from and what is
 * expected; the CLI prints it as one line and exits with status 2.
 */
public final class OptionException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public OptionException(String message) {
    super(message);
  }

  public OptionException(String message, Throwable cause) {
    super(message, cause);
  }
}
