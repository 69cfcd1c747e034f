package cn.xingan.kpi.testing.sql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.yaml.snakeyaml.Yaml;

/**
 * The Grafana files of {@code runtime/deploy/grafana/} as the queries they send: every panel target
 * and every query variable of each dashboard, and every data-source query of the alert rules. The
 * files are read as Grafana reads them (dashboard JSON, provisioning YAML), so a query that is
 * added to a file is tested without touching the tests.
 */
final class GrafanaFiles {
  static final Path ROOT = Path.of("deploy", "grafana");
  static final Path DASHBOARDS = ROOT.resolve("dashboards");
  static final Path ALERT_RULES = ROOT.resolve("provisioning/alerting/kpi-alerts.yaml");
  static final Path DATASOURCES = ROOT.resolve("provisioning/datasources/clickhouse.yaml");

  static final ObjectMapper JSON = new ObjectMapper();

  private GrafanaFiles() {}

  /** One target of a panel: its SQL before expansion and the data-source uid it goes to. */
  record PanelQuery(
      String dashboard, String title, String panelType, String datasource, String sql) {
    String key() {
      return dashboard + " / " + title;
    }
  }

  /** A query variable (its SQL fills the drop-down). */
  record VariableQuery(String name, String datasource, String sql) {}

  /** A data-source query of an alert rule, with the rule's relative time range in seconds. */
  record AlertQuery(String rule, String datasource, String sql, long fromSeconds, long toSeconds) {}

  /** A dashboard file. */
  record Dashboard(String uid, JsonNode json) {
    List<PanelQuery> panelQueries() {
      List<PanelQuery> queries = new ArrayList<>();
      collect(json.path("panels"), queries);
      return queries;
    }

    private void collect(JsonNode panels, List<PanelQuery> into) {
      for (JsonNode panel : panels) {
        collect(panel.path("panels"), into); // panels inside a collapsed row
        for (JsonNode target : panel.path("targets")) {
          into.add(
              new PanelQuery(
                  uid,
                  panel.path("title").asText(),
                  panel.path("type").asText(),
                  target.path("datasource").path("uid").asText(),
                  target.path("rawSql").asText()));
        }
      }
    }

    List<VariableQuery> variableQueries() {
      List<VariableQuery> queries = new ArrayList<>();
      for (JsonNode v : variables()) {
        if (v.path("type").asText().equals("query")) {
          queries.add(
              new VariableQuery(
                  v.path("name").asText(),
                  v.path("datasource").path("uid").asText(),
                  v.path("query").path("rawSql").asText()));
        }
      }
      return queries;
    }

    /** The values of a custom variable, or the one value of a constant, by variable name. */
    Map<String, List<String>> fixedValues() {
      Map<String, List<String>> values = new LinkedHashMap<>();
      for (JsonNode v : variables()) {
        String type = v.path("type").asText();
        if (type.equals("custom")) {
          values.put(
              v.path("name").asText(),
              Stream.of(v.path("query").asText().split(",")).map(String::strip).toList());
        } else if (type.equals("constant")) {
          values.put(v.path("name").asText(), List.of(v.path("query").asText()));
        }
      }
      return values;
    }

    private JsonNode variables() {
      return json.path("templating").path("list");
    }
  }

  static List<Dashboard> dashboards() {
    try (Stream<Path> files = Files.list(DASHBOARDS)) {
      return files
          .filter(p -> p.getFileName().toString().endsWith(".json"))
          .sorted()
          .map(GrafanaFiles::readJson)
          .map(json -> new Dashboard(json.path("uid").asText(), json))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + DASHBOARDS.toAbsolutePath(), e);
    }
  }

  static List<AlertQuery> alertQueries() {
    List<AlertQuery> queries = new ArrayList<>();
    for (JsonNode group : readYaml(ALERT_RULES).path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        for (JsonNode data : rule.path("data")) {
          String datasource = data.path("datasourceUid").asText();
          if (datasource.equals("__expr__")) {
            continue; // a server-side expression, not SQL
          }
          queries.add(
              new AlertQuery(
                  rule.path("uid").asText(),
                  datasource,
                  data.path("model").path("rawSql").asText(),
                  data.path("relativeTimeRange").path("from").asLong(),
                  data.path("relativeTimeRange").path("to").asLong()));
        }
      }
    }
    return queries;
  }

  static JsonNode readJson(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file.toAbsolutePath() + " as JSON", e);
    }
  }

  /**
   * A YAML file as a JSON tree, anchors and aliases resolved (Jackson's YAML reader leaves an alias
   * as its name). SnakeYAML is on this module's classpath already: the embedded Kafka broker
   * (kafka_2.13) needs it at run time, so no test dependency of a narrower scope is declared.
   */
  static JsonNode readYaml(Path file) {
    try (Reader in = Files.newBufferedReader(file)) {
      Object tree = new Yaml().load(in);
      return JSON.valueToTree(tree);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file.toAbsolutePath() + " as YAML", e);
    }
  }
}
