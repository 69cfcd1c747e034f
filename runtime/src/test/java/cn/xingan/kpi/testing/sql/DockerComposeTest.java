package cn.xingan.kpi.testing.sql;

import static org.assertj.core.api.Assertions.assertThat;

import cn.xingan.kpi.config.Command;
import cn.xingan.kpi.config.CommandOptions;
import cn.xingan.kpi.config.OptionSources;
import cn.xingan.kpi.config.OptionValues;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
  private static final Pattern EXACT_TAG = Pattern.compile("v?\\d+(\\.\\d+){2,3}(-[A-Za-z0-9.]+)?");
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

  /** The options the compose file passes to the job are options of the job's entry. */
  @Test
  void theJobsOptionsAreValidOptionsOfFlinkRun() {
    String script = COMPOSE.path("services").path("kpi-job").path("command").get(2).asText();
    String jar = "KpiJobMain \"$$jar\"";
    assertThat(script).as("kpi-job runs `flink run … KpiJobMain \"$$jar\" OPTIONS`").contains(jar);
    String[] args =
        script
            .substring(script.indexOf(jar) + jar.length())
            .replace("\\", " ")
            .trim()
            .split("\\s+");
    assertThat(args).contains("--clickhouse-user", "kpi_writer");
    OptionValues values =
        OptionSources.resolve(Command.FLINK_RUN, args, Map.of("CLICKHOUSE_PASSWORD", "from-env"));
    CommandOptions.Run job = CommandOptions.Run.from(values);
    assertThat(job.job().clickhouse().url()).isEqualTo("http://clickhouse:8123");
    assertThat(job.job().clickhouse().password()).isEqualTo("from-env");
    assertThat(job.job().kafkaBootstrap()).isEqualTo("kafka:9092");
    assertThat(
            COMPOSE.path("services").path("kpi-job").path("environment").has("CLICKHOUSE_PASSWORD"))
        .as("the password comes from the environment, never the command line")
        .isTrue();
  }

  /** The users file the job and Grafana rely on is mounted, and Prometheus scrapes Flink. */
  @Test
  void theUsersFileIsMountedAndPrometheusScrapesTheFlinkProcesses() throws Exception {
    assertThat(COMPOSE.path("services").path("clickhouse").path("volumes").toString())
        .contains("./sql/users.d/kpi-users.xml:/etc/clickhouse-server/users.d/kpi-users.xml");
    String flink = COMPOSE.path("x-flink-properties").asText();
    assertThat(flink)
        .contains("PrometheusReporterFactory")
        .contains("metrics.reporter.prom.port: 9249");
    JsonNode prometheus =
        GrafanaFiles.readYaml(REPO.resolve("runtime/deploy/prometheus/prometheus.yml"));
    List<String> targets = new ArrayList<>();
    prometheus
        .path("scrape_configs")
        .get(0)
        .path("static_configs")
        .get(0)
        .path("targets")
        .forEach(t -> targets.add(t.asText()));
    assertThat(targets).containsExactlyInAnyOrder("jobmanager:9249", "taskmanager:9249");
    for (String t : targets) {
      assertThat(COMPOSE.path("services").has(t.substring(0, t.indexOf(':'))))
          .as("service of scrape target %s", t)
          .isTrue();
    }
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
