package cn.xingan.kpi.testing.sql;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml cannot run on the Docker-less build machines, so this reads it the way Compose
 * would and checks what would otherwise fail only on someone else's machine: every image pinned to
 * an exact version, every mounted host path present in the repository, ports on loopback only, and
 * the Grafana provisioning consistent with itself (data-source uid, plugin version, the dashboards'
 * mount point).
 */
class DockerComposeTest {
  private static final Path REPO = Path.of("..");
  private static final JsonNode COMPOSE = GrafanaFiles.readYaml(REPO.resolve("docker-compose.yml"));
  private static final Pattern EXACT_TAG = Pattern.compile("\\d+(\\.\\d+){2,3}(-[A-Za-z0-9.]+)?");
  private static final Pattern PLUGIN =
      Pattern.compile("grafana-clickhouse-datasource@(\\d+\\.\\d+\\.\\d+)");

  @Test
  void everyImageIsPinnedToAnExactVersion() {
    List<String> images = new ArrayList<>();
    COMPOSE.path("services").forEach(s -> images.add(s.path("image").asText()));
    assertThat(images).isNotEmpty().doesNotContain("");
    for (String image : images) {
      int colon = image.lastIndexOf(':');
      assertThat(colon).as("image %s has a tag", image).isPositive();
      assertThat(image.substring(colon + 1))
          .as("tag of %s: an exact version such as 26.8.20.9 or 2.2.0-java17", image)
          .matches(EXACT_TAG);
    }
  }

  @Test
  void everyMountedHostPathExistsAndEveryNamedVolumeIsDeclared() {
    Set<String> declared = new HashSet<>();
    COMPOSE.path("volumes").fieldNames().forEachRemaining(declared::add);
    int bindMounts = 0;
    for (JsonNode service : COMPOSE.path("services")) {
      for (JsonNode volume : service.path("volumes")) {
        String source = volume.asText().split(":")[0];
        if (source.startsWith(".") || source.startsWith("/")) {
          bindMounts++;
          Path host = REPO.resolve(source).normalize();
          if (host.getFileName().toString().equals("target")) {
            // a build output: it exists after `mvn package` of the module whose folder it is in
            assertThat(host.resolveSibling("pom.xml")).as("module of %s", source).exists();
          } else {
            assertThat(host).as("host path %s", source).exists();
          }
        } else {
          assertThat(declared).as("named volume %s", source).contains(source);
        }
      }
    }
    assertThat(bindMounts).isGreaterThanOrEqualTo(3);
  }

  @Test
  void portsArePublishedOnLoopbackOnly() {
    for (JsonNode service : COMPOSE.path("services")) {
      for (JsonNode port : service.path("ports")) {
        assertThat(port.asText()).startsWith("127.0.0.1:");
      }
    }
    assertThat(COMPOSE.path("services").path("grafana").path("ports").get(0).asText())
        .isEqualTo("127.0.0.1:3000:3000");
  }

  @Test
  void grafanaInstallsThePinnedPluginAndProvisionsWhatTheDashboardsUse() {
    JsonNode grafana = COMPOSE.path("services").path("grafana");
    Matcher plugin =
        PLUGIN.matcher(grafana.path("environment").path("GF_PLUGINS_PREINSTALL_SYNC").asText());
    assertThat(plugin.matches()).as("GF_PLUGINS_PREINSTALL_SYNC pins the plugin version").isTrue();
    assertThat(grafana.path("environment").path("GF_AUTH_ANONYMOUS_ORG_ROLE").asText())
        .isEqualTo("Viewer");

    JsonNode source = GrafanaFiles.readYaml(GrafanaFiles.DATASOURCES).path("datasources").get(0);
    assertThat(source.path("type").asText()).isEqualTo("grafana-clickhouse-datasource");
    String host = source.path("jsonData").path("host").asText();
    assertThat(COMPOSE.path("services").has(host))
        .as("data source host %s is a service", host)
        .isTrue();
    assertThat(source.path("jsonData").path("defaultDatabase").asText()).isEqualTo("kpi");

    String uid = source.path("uid").asText();
    Set<String> used = new HashSet<>();
    Set<String> versions = new HashSet<>();
    for (GrafanaFiles.Dashboard d : GrafanaFiles.dashboards()) {
      d.panelQueries().forEach(p -> used.add(p.datasource()));
      d.variableQueries().forEach(v -> used.add(v.datasource()));
      d.json().findValues("pluginVersion").forEach(v -> versions.add(v.asText()));
    }
    GrafanaFiles.alertQueries().forEach(q -> used.add(q.datasource()));
    GrafanaFiles.readYaml(GrafanaFiles.ALERT_RULES)
        .findValues("pluginVersion")
        .forEach(v -> versions.add(v.asText()));
    assertThat(used).containsExactly(uid);
    assertThat(versions).containsExactly(plugin.group(1));
  }

  @Test
  void theDashboardProviderReadsTheFolderTheDashboardsAreMountedAt() {
    String path =
        GrafanaFiles.readYaml(GrafanaFiles.ROOT.resolve("provisioning/dashboards/kpi.yaml"))
            .path("providers")
            .get(0)
            .path("options")
            .path("path")
            .asText();
    List<String> mounts = new ArrayList<>();
    COMPOSE.path("services").path("grafana").path("volumes").forEach(v -> mounts.add(v.asText()));
    assertThat(mounts).contains("./runtime/deploy/grafana/dashboards:" + path + ":ro");
    assertThat(mounts)
        .contains("./runtime/deploy/grafana/provisioning:/etc/grafana/provisioning:ro");
    assertThat(GrafanaFiles.dashboards()).hasSize(4);
    String home =
        COMPOSE
            .path("services")
            .path("grafana")
            .path("environment")
            .path("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH")
            .asText();
    assertThat(home).startsWith(path + "/");
    assertThat(GrafanaFiles.DASHBOARDS.resolve(home.substring(path.length() + 1))).exists();
  }
}
