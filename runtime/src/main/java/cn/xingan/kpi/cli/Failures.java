package cn.xingan.kpi.cli;

/**
 * Turns a failure into the line a user reads: the first message along the cause chain that says
 * something, and the root cause when it adds to it. Stack traces are for {@code --verbose}.
 */
final class Failures {
  private Failures() {}

  static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String top = message(e);
    String bottom = message(root);
    if (root == e || top.contains(bottom)) {
      return top;
    }
    return top + " (cause: " + bottom + ")";
  }

  private static String message(Throwable t) {
    String m = t.getMessage();
    return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
  }
}
