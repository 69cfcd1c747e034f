// The shaded job jar against the Flink cluster it is submitted to (flink-lib's classpath, what a
// Flink distribution's lib/ holds): it must bring every class the job needs that the cluster lacks,
// and no class that the cluster loads itself, which would be shadowed (Flink loads org.apache.flink
// and logging classes parent-first) or would clash. A missing or conflicting dependency fails the
// build here, before FlinkClusterITCase runs the jar for real.
package cn.xingan.kpi.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ShadedJarTest {
  /** The job's own classes, where the reference walk starts. */
  private static final String OURS = "cn/xingan/";

  /** ClickHouseSinks.DRIVER: loaded by name, so no reference leads to it. */
  private static final String DRIVER = "com/clickhouse/jdbc/ClickHouseDriver";

  private static Map<String, byte[]> jar;
  private static Set<String> cluster;

  @BeforeAll
  static void readJars() throws IOException {
    jar = classes(BuiltArtifacts.shadedJobJar());
    cluster = new HashSet<>();
    for (Path lib : BuiltArtifacts.flinkLib()) {
      cluster.addAll(classes(lib).keySet());
    }
  }

  @Test
  void theJarHoldsNoClassThatTheClusterLoadsItself() {
    String[] parentFirst = CoreOptions.getParentFirstLoaderPatterns(new Configuration());
    Set<String> shadowed = new TreeSet<>();
    for (String name : jar.keySet()) {
      String dotted = name.replace('/', '.');
      for (String pattern : parentFirst) {
        if (dotted.startsWith(pattern) && cluster.contains(name)) {
          shadowed.add(name);
        }
      }
    }
    assertThat(shadowed)
        .as(
            "classes of the job jar that the cluster loads parent-first from its own lib/, so the"
                + " jar's copy is never used: make their dependency `provided` in jobs/pom.xml")
        .isEmpty();
  }

  @Test
  void everyClassTheJobReachesIsInTheJarOrTheClusterOrTheJdk() throws IOException {
    Set<String> missing = new TreeSet<>();
    Map<String, String> firstUser = new HashMap<>();
    Deque<String> todo = new ArrayDeque<>();
    Set<String> seen = new HashSet<>();
    for (String name : jar.keySet()) {
      if (name.startsWith(OURS) || name.equals(DRIVER)) {
        todo.add(name);
        seen.add(name);
      }
    }
    assertThat(todo).as("the job's own classes in the jar").hasSizeGreaterThan(50);
    while (!todo.isEmpty()) {
      String name = todo.poll();
      for (String ref : ClassReferences.of(jar.get(name))) {
        if (jar.containsKey(ref)) {
          if (seen.add(ref) && followed(ref)) {
            todo.add(ref);
          }
        } else if (!cluster.contains(ref) && !inJdk(ref) && !optionalAbsent(ref)) {
          missing.add(ref);
          firstUser.putIfAbsent(ref, name);
        }
      }
    }
    assertThat(seen)
        .as("the walk reaches into the connectors and the driver")
        .contains(
            "org/apache/flink/connector/kafka/source/KafkaSource",
            "org/apache/kafka/clients/consumer/KafkaConsumer",
            "com/clickhouse/client/api/Client");
    List<String> report = new ArrayList<>();
    for (String m : missing) {
      report.add(m + " (used by " + firstUser.get(m) + ")");
    }
    assertThat(report)
        .as("classes the job's code reaches that neither the jar nor the cluster has")
        .isEmpty();
  }

  @Test
  void theJarCarriesTheConnectorsAndTheDriverItLoadsByName() throws IOException {
    assertThat(jar.keySet())
        .contains(
            "org/apache/flink/connector/kafka/source/KafkaSource",
            "org/apache/flink/connector/kafka/sink/KafkaSink",
            "org/apache/flink/connector/jdbc/JdbcConnectionOptions",
            "org/apache/kafka/clients/consumer/KafkaConsumer",
            "com/fasterxml/jackson/databind/ObjectMapper",
            DRIVER);
    try (JarFile file = new JarFile(BuiltArtifacts.shadedJobJar().toFile())) {
      JarEntry services = file.getJarEntry("META-INF/services/java.sql.Driver");
      assertThat(services).as("the jar's JDBC driver registration").isNotNull();
      try (InputStream in = file.getInputStream(services)) {
        assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8))
            .contains("com.clickhouse.jdbc.ClickHouseDriver");
      }
    }
  }

  /**
   * Whether the walk goes on through a class of the jar. It stops at libraries' optional parts:
   * compression codecs, metrics and TLS back ends that the libraries load only when present.
   */
  private static boolean followed(String name) {
    return !name.startsWith("com/github/luben/")
        && !name.startsWith("org/xerial/snappy/")
        && !name.startsWith("net/jpountz/")
        && !name.startsWith("org/apache/commons/compress/");
  }

  /**
   * Libraries that clickhouse-jdbc's data layer uses only when they are on the classpath (it checks
   * first and falls back): Brotli and XZ compression (the sink uses neither), the Caffeine cache,
   * JCTools queues and dnsjava for SRV records. Leaving them out keeps the jar smaller.
   */
  private static boolean optionalAbsent(String name) {
    return name.startsWith("com/aayushatharva/brotli4j/")
        || name.startsWith("org/brotli/")
        || name.startsWith("org/tukaani/xz/")
        || name.startsWith("com/github/benmanes/caffeine/")
        || name.startsWith("org/jctools/")
        || name.startsWith("org/xbill/DNS/");
  }

  private static boolean inJdk(String name) {
    try {
      Class.forName(name.replace('/', '.'), false, ClassLoader.getPlatformClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** Class files by internal name (without {@code .class}), multi-release versions left out. */
  private static Map<String, byte[]> classes(Path path) throws IOException {
    Map<String, byte[]> classes = new HashMap<>();
    try (JarFile file = new JarFile(path.toFile())) {
      for (JarEntry entry : java.util.Collections.list(file.entries())) {
        String name = entry.getName();
        if (name.endsWith(".class") && !name.startsWith("META-INF/")) {
          try (InputStream in = file.getInputStream(entry)) {
            classes.put(name.substring(0, name.length() - ".class".length()), in.readAllBytes());
          }
        }
      }
    }
    return classes;
  }
}
