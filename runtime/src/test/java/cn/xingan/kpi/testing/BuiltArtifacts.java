package cn.xingan.kpi.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the build put what the cluster tests run: the shaded job jar and the classpath of Flink's
 * lib/ folder (runtime/pom.xml passes both paths). Both exist in a reactor {@code mvn verify}; a
 * missing one fails the test with the command that makes it.
 */
final class BuiltArtifacts {
  private BuiltArtifacts() {}

  /** {@code jobs/target/kpi-jobs-…-flink.jar}. */
  static Path shadedJobJar() {
    return existing(
        "kpi.jobJar", "the shaded job jar is made in the package phase: run `mvn -B verify`");
  }

  /** The jars of {@code flink-lib/target/classpath.txt}, in order. */
  static List<Path> flinkLib() {
    Path file =
        existing(
            "kpi.flinkLibClasspath",
            "flink-lib writes it in generate-resources: run `mvn -B verify` (or add -am)");
    try {
      List<Path> jars = new ArrayList<>();
      for (String entry : Files.readString(file).strip().split(java.io.File.pathSeparator)) {
        jars.add(Path.of(entry));
      }
      return jars;
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + file, e);
    }
  }

  private static Path existing(String property, String howToMake) {
    String value = System.getProperty(property);
    if (value == null) {
      throw new IllegalStateException(
          "system property " + property + " is not set; run the tests through Maven");
    }
    Path path = Path.of(value).normalize();
    if (!Files.exists(path)) {
      throw new IllegalStateException(path + " does not exist; " + howToMake);
    }
    return path;
  }
}
