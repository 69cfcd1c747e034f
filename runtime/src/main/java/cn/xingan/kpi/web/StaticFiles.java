package cn.xingan.kpi.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The page's files, read once from the classpath when the server starts (so a jar without them
 * fails at start, not at the first visitor): {@code web/} of this module and ECharts from its
 * WebJar. Plain files, no build step.
 */
final class StaticFiles {
  /** ECharts' self-contained bundle inside {@code org.webjars.npm:echarts} (see the parent pom). */
  static final String ECHARTS = "META-INF/resources/webjars/echarts/5.3.1/dist/echarts.min.js";

  record File(String contentType, byte[] bytes) {}

  private final Map<String, File> byPath = new HashMap<>();

  StaticFiles() {
    add("/", "web/index.html", "text/html; charset=utf-8");
    add("/app.js", "web/app.js", "text/javascript; charset=utf-8");
    add("/app.css", "web/app.css", "text/css; charset=utf-8");
    add("/favicon.svg", "web/favicon.svg", "image/svg+xml");
    add("/vendor/echarts.min.js", ECHARTS, "text/javascript; charset=utf-8");
  }

  Optional<File> get(String path) {
    return Optional.ofNullable(byPath.get(path.equals("/index.html") ? "/" : path));
  }

  private void add(String path, String resource, String contentType) {
    try (InputStream in = StaticFiles.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(
            "the live page's file " + resource + " is not on the classpath; rebuild the runtime");
      }
      byPath.put(path, new File(contentType, in.readAllBytes()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }
}
