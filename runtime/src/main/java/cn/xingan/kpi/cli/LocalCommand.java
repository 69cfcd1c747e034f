package cn.xingan.kpi.cli;

import cn.xingan.kpi.config.CommandOptions;
import cn.xingan.kpi.config.OptionValues;
import cn.xingan.kpi.local.KpiUsers;
import cn.xingan.kpi.local.LocalStack;
import java.util.List;

/**
 * {@code bin/kpi local start|status|stop}: the local ClickHouse and Kafka of a data folder as
 * background services, so that {@code run}, {@code produce} and {@code backfill} can be tried on a
 * bare machine. All the work is {@link LocalStack}'s; this prints what it found.
 */
final class LocalCommand {
  static final List<String> ACTIONS = List.of("start", "status", "stop");

  /** What {@code status} returns when a service does not answer (as LSB init scripts do). */
  static final int NOT_RUNNING = 3;

  static final String HELP =
      """
      Usage: bin/kpi local start|status|stop [options]

      A local ClickHouse (at --clickhouse-url) and Kafka broker (at --kafka-bootstrap) in the
      background, with their data under --data-dir (clickhouse/ and kafka/; logs beside them).
        start   starts what does not answer yet and returns when both answer. A server that
                already answers at the address is reused, not started. A started ClickHouse
                or Kafka listens on the address's port on 127.0.0.1; the broker gets the topics
                project-progress, service-transactions, market-stall-counts, project-alerts
                and kpi-rejected (2 partitions each).
        status  what runs where: pid, address, answering or not (exit 3 when one does not answer)
        stop    SIGTERM to what was started from --data-dir (a kill after 30 s); the data stays,
                so the next start finds the same database, topics and offsets. Servers that were
                not started from --data-dir are left running.
      Then try: bin/kpi produce --input events.jsonl, bin/kpi run
      """;

  private LocalCommand() {}

  static int run(String action, OptionValues values) {
    CommandOptions.Local o = CommandOptions.Local.from(values);
    LocalStack stack =
        LocalStack.in(o.dataDir(), o.clickhouseUrl(), o.kafkaBootstrap(), o.database());
    switch (action) {
      case "start" -> {
        System.out.println("Local services of " + stack.dataDir() + ":");
        System.out.println("  " + stack.startClickHouse().describe());
        System.out.flush();
        System.out.println("  " + stack.startKafka().describe());
        stack
            .users()
            .ifPresent(
                users -> {
                  System.out.println(
                      "ClickHouse users for database '"
                          + o.database()
                          + "' (sql/users.d/kpi-users.xml): kpi_writer for the jobs, kpi_reader"
                          + " for dashboards, kpi_planner for ad-hoc SQL; passwords in "
                          + stack.passwordFile(KpiUsers.Role.WRITER).getParent()
                          + "/kpi_*.password (owner-only). Then, e.g.:");
                  System.out.println("  bin/kpi init-db   (as the admin user default)");
                  System.out.println(
                      "  bin/kpi run --clickhouse-user kpi_writer --clickhouse-password-file "
                          + stack.passwordFile(KpiUsers.Role.WRITER));
                });
        return 0;
      }
      case "status" -> {
        List<LocalStack.Service> services = stack.status();
        System.out.println("Local services of " + stack.dataDir() + ":");
        services.forEach(s -> System.out.println("  " + s.describe()));
        return services.stream().allMatch(LocalStack.Service::answering) ? 0 : NOT_RUNNING;
      }
      case "stop" -> {
        stack.stop().forEach(System.out::println);
        return 0;
      }
      default ->
          throw new IllegalArgumentException(
              "unknown action '" + action + "'; expected start, status or stop");
    }
  }
}
