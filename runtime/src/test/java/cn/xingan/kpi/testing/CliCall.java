package cn.xingan.kpi.testing;

import cn.xingan.kpi.cli.KpiCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One {@code bin/kpi} call in the test JVM: its exit code, standard output and standard error
 * (captured by swapping System.out and System.err, so calls are serialised).
 */
public record CliCall(int code, String out, String err) {
  public static synchronized CliCall run(Map<String, String> env, String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      int code = KpiCli.run(args, env);
      return new CliCall(
          code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  public static CliCall run(String... args) {
    return run(Map.of(), args);
  }

  public long errLines() {
    return err.lines().count();
  }
}
