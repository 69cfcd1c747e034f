package cn.xingan.kpi.cli;

import java.io.PrintStream;

/**
 * A status line that a long command keeps up to date: on a terminal one line rewritten in place
 * (every second), otherwise a plain line now and then (every {@link #PLAIN_EVERY_MS}), so that logs
 * and pipes get readable lines instead of carriage returns.
 */
final class ProgressLine {
  static final long PLAIN_EVERY_MS = 10_000;
  static final long TERMINAL_EVERY_MS = 1_000;

  private final PrintStream out;
  private final boolean terminal;
  private int lastLength;

  ProgressLine(PrintStream out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  /** For standard output: in place when it is a terminal. */
  static ProgressLine stdout() {
    return new ProgressLine(System.out, System.console() != null);
  }

  /** How often {@link #show} should be called. */
  long intervalMillis() {
    return terminal ? TERMINAL_EVERY_MS : PLAIN_EVERY_MS;
  }

  void show(String text) {
    if (terminal) {
      String padded = text + " ".repeat(Math.max(0, lastLength - text.length()));
      out.print("\r" + padded);
      lastLength = text.length();
    } else {
      out.println(text);
    }
    out.flush();
  }

  /** Ends the line in place, so that what follows starts on a new one. */
  void done() {
    if (terminal && lastLength > 0) {
      out.println();
      lastLength = 0;
    }
  }
}
