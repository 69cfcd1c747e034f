package cn.xingan.kpi.sink;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Every statement of the {@code sql/} scripts in the order {@link SchemaInstaller} runs them, for
 * the code that must look at them one by one instead of running them: the schema check before a run
 * and the installer of the sharded layout.
 */
final class SchemaScripts {
  private SchemaScripts() {}

  /** The statements of every script of {@code sql/index.txt}, in order. */
  static List<String> statements() {
    List<String> all = new ArrayList<>();
    for (String script : SchemaInstaller.scripts()) {
      all.addAll(SchemaInstaller.statements(read("sql/" + script)));
    }
    return all;
  }

  private static String read(String name) {
    try (InputStream in = SchemaScripts.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(
            "resource '" + name + "' is not on the classpath; sql/index.txt names a missing file");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read resource '" + name + "'", e);
    }
  }
}
