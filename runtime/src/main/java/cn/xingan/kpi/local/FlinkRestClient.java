package cn.xingan.kpi.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;

/**
 * The few calls of Flink's REST API (the one a JobManager serves on {@code rest.port}) that a
 * launcher and its tests need: is the cluster up with its TaskManagers, what state is a job in,
 * where do its tasks run, why did it fail, and cancel it. Plain JSON over HTTP, so it does not
 * depend on Flink's client classes.
 */
public final class FlinkRestClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String baseUrl;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  public FlinkRestClient(String baseUrl) {
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
  }

  /** How many TaskManagers have registered, or -1 while the REST endpoint does not answer. */
  public int taskManagers() {
    try {
      return get("/overview").path("taskmanagers").asInt(-1);
    } catch (IOException e) {
      return -1;
    }
  }

  /** A job's state, e.g. {@code RUNNING}, {@code FAILED}, {@code CANCELED}. */
  public String jobState(String jobId) throws IOException {
    return get("/jobs/" + jobId).path("state").asText();
  }

  /** The ids of the TaskManagers that run at least one task of the job. */
  public Set<String> taskManagersOf(String jobId) throws IOException {
    Set<String> ids = new TreeSet<>();
    for (JsonNode vertex : get("/jobs/" + jobId).path("vertices")) {
      String path = "/jobs/" + jobId + "/vertices/" + vertex.path("id").asText() + "/taskmanagers";
      for (JsonNode tm : get(path).path("taskmanagers")) {
        ids.add(tm.path("taskmanager-id").asText());
      }
    }
    return ids;
  }

  /** The job's root exception as Flink reports it, or an empty string when there is none. */
  public String rootException(String jobId) throws IOException {
    JsonNode root = get("/jobs/" + jobId + "/exceptions").path("root-exception");
    return root.isMissingNode() || root.isNull() ? "" : root.asText();
  }

  /** Asks the cluster to cancel the job (it returns before the job is gone). */
  public void cancel(String jobId) throws IOException {
    send(
        HttpRequest.newBuilder(URI.create(baseUrl + "/jobs/" + jobId + "?mode=cancel"))
            .method("PATCH", HttpRequest.BodyPublishers.noBody()));
  }

  private JsonNode get(String path) throws IOException {
    return JSON.readTree(send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET()));
  }

  private String send(HttpRequest.Builder request) throws IOException {
    try {
      HttpResponse<String> response =
          http.send(
              request.timeout(Duration.ofSeconds(10)).build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 != 2) {
        throw new IOException(
            "Flink REST at "
                + baseUrl
                + " answered HTTP "
                + response.statusCode()
                + ": "
                + response.body());
      }
      return response.body();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while calling Flink REST at " + baseUrl, e);
    }
  }
}
