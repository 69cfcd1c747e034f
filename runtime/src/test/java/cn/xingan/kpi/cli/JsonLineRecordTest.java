package cn.xingan.kpi.cli;

import static org.assertj.core.api.Assertions.assertThat;

import cn.xingan.kpi.events.EventStream;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How produce reads a line: topic and key by the contract, the value unchanged, or why not. */
class JsonLineRecordTest {

  private static JsonLineRecord parse(String line) {
    return JsonLineRecord.parse(line.getBytes(StandardCharsets.UTF_8));
  }

  private static JsonLineRecord.Send sent(String line) {
    JsonLineRecord r = parse(line);
    assertThat(r).isInstanceOf(JsonLineRecord.Send.class);
    return (JsonLineRecord.Send) r;
  }

  private static JsonLineRecord.Problem problem(String line) {
    JsonLineRecord r = parse(line);
    assertThat(r).isInstanceOf(JsonLineRecord.Problem.class);
    return (JsonLineRecord.Problem) r;
  }

  @Test
  void eachStreamIsKeyedByItsContractField() {
    JsonLineRecord.Send project =
        sent("{\"stream\":\"project-progress\",\"project_id\":\"p-7\",\"type\":\"progress\"}");
    assertThat(project.stream()).isEqualTo(EventStream.PROJECT_PROGRESS);
    assertThat(project.key()).isEqualTo("p-7");

    JsonLineRecord.Send service =
        sent(
            "{\"transaction_id\":\"t-1\",\"stream\":\"service-transactions\",\"market_id\":\"m\"}");
    assertThat(service.stream()).isEqualTo(EventStream.SERVICE_TRANSACTIONS);
    assertThat(service.key()).isEqualTo("t-1");

    JsonLineRecord.Send market = sent("{\"stream\":\"market-stall-counts\",\"market_id\":\"m-2\"}");
    assertThat(market.stream()).isEqualTo(EventStream.MARKET_STALL_COUNTS);
    assertThat(market.key()).isEqualTo("m-2");
  }

  @Test
  void theValueIsTheLineByteForByte() {
    // spacing, field order and non-ASCII text stay as written: the job validates them
    String line =
        "{ \"stream\" : \"market-stall-counts\", \"market_name\":\"乌兰浩特夜市\",\"market_id\":\"m-1\" }";
    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
    JsonLineRecord.Send s = (JsonLineRecord.Send) JsonLineRecord.parse(bytes);
    assertThat(s.value()).isEqualTo(bytes);
  }

  @Test
  void linesThatCannotBeSentSayWhy() {
    assertThat(problem("{not json").reason()).isEqualTo(JsonLineRecord.Reason.NOT_JSON);
    assertThat(problem("{\"a\":1} trailing").reason()).isEqualTo(JsonLineRecord.Reason.NOT_JSON);
    assertThat(problem("[1,2]").detail()).contains("not a JSON object");
    assertThat(problem("{\"event_id\":\"e\"}").detail()).contains("no \"stream\" field");
    assertThat(problem("{\"stream\":7}").reason()).isEqualTo(JsonLineRecord.Reason.NO_STREAM);
    assertThat(problem("{\"stream\":\"kpi-rejected\"}").detail())
        .contains("unknown stream 'kpi-rejected'")
        .contains("project-progress, service-transactions, market-stall-counts");
    JsonLineRecord.Problem noKey = problem("{\"stream\":\"project-progress\",\"event_id\":\"e\"}");
    assertThat(noKey.reason()).isEqualTo(JsonLineRecord.Reason.NO_KEY);
    assertThat(noKey.detail()).contains("\"project_id\"");
    assertThat(problem("{\"stream\":\"service-transactions\",\"transaction_id\":12}").detail())
        .contains("\"transaction_id\"")
        .contains("got 12");
    assertThat(problem("{\"stream\":\"market-stall-counts\",\"market_id\":\"\"}").reason())
        .isEqualTo(JsonLineRecord.Reason.NO_KEY);
  }

  @Test
  void blankLinesAreSkipped() {
    assertThat(parse("")).isInstanceOf(JsonLineRecord.Blank.class);
    assertThat(parse("  \t ")).isInstanceOf(JsonLineRecord.Blank.class);
  }

  @Test
  void linesAreNumberedFromOneWithoutTheirTerminators() throws Exception {
    byte[] file = "a\r\n\nb\nlast".getBytes(StandardCharsets.UTF_8);
    List<String> seen = new ArrayList<>();
    JsonLineRecord.forEachLine(
        new ByteArrayInputStream(file),
        (n, line) -> seen.add(n + "=" + new String(line, StandardCharsets.UTF_8)));
    assertThat(seen).containsExactly("1=a", "2=", "3=b", "4=last");

    List<String> ending = new ArrayList<>();
    JsonLineRecord.forEachLine(
        new ByteArrayInputStream("x\n".getBytes(StandardCharsets.UTF_8)),
        (n, line) -> ending.add(n + "=" + new String(line, StandardCharsets.UTF_8)));
    assertThat(ending).containsExactly("1=x");
  }
}
