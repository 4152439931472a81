package dev.reverso.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.reverso.testing.MigrationsDir;
import dev.reverso.testing.ScratchDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The webhook's messages as a receiver gets them, and a receiver that fails or hangs, as the user sees it. */
class WebhookTest {

    static ScratchDatabase db;

    @TempDir
    Path dir;
    @TempDir
    Path reports;
    MigrationsDir files;
    HttpServer server;
    final List<JsonNode> received = new CopyOnWriteArrayList<>();
    volatile int status = 200;
    volatile long sleepMs;

    @BeforeAll
    static void createDatabase() {
        db = ScratchDatabase.create(WebhookTest.class);
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    @BeforeEach
    void reset() throws IOException {
        db.resetSchemas();
        db.execute("drop schema if exists reverso_archive cascade");
        files = new MigrationsDir(dir);
        files.pair("0001_items", "create table items (id int primary key, note text);\n"
                + "insert into items select g, 'n' || g from generate_series(1, 20) g;", "drop table items;");
        files.pair("0002_drop_note", "alter table items drop column note;", "alter table items add column note text;");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/hook", exchange -> {
            received.add(new ObjectMapper().readTree(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            if (sleepMs > 0) {
                try {
                    Thread.sleep(sleepMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private String hook() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    private Cli.Outcome cli(String webhook, String... command) {
        String[] args = Stream.concat(Stream.of("--report-dir", reports.toString(), "--webhook", webhook), Stream.of(command))
                .toArray(String[]::new);
        return Cli.against(db.jdbcUrl(), dir, args);
    }

    private List<String> events() {
        return received.stream().map(m -> m.get("event").asText()).toList();
    }

    @Test
    void upSendsStartThenSuccessWithTheRunAndTheReport() {
        Cli.Outcome out = cli(hook(), "up");

        assertThat(out.exit()).as(out.err()).isEqualTo(ExitCode.DONE);
        assertThat(events()).containsExactly("start", "success");
        JsonNode start = received.get(0);
        JsonNode success = received.get(1);
        assertThat(start.get("command").asText()).isEqualTo("up");
        assertThat(start.get("database").asText()).contains(db.name());
        assertThat(start.get("text").asText()).startsWith("reverso up started on ");
        assertThat(start.get("run").asText()).matches("\\d{8}T\\d{6}\\.\\d{3}Z_up");
        assertThat(success.get("run").asText()).isEqualTo(start.get("run").asText());
        assertThat(success.get("versions").toString()).isEqualTo("[\"1\",\"2\"]");
        assertThat(success.get("text").asText()).contains("reverso up succeeded on ");
        assertThat(success.get("report").asText()).startsWith(reports.toString()).endsWith("_up_1-2.md");
        assertThat(success.has("error")).isFalse();
    }

    @Test
    void downSendsTheRollbackMessageWithTheArchivesAndAnEta() {
        assertThat(cli(hook(), "up").exit()).isEqualTo(ExitCode.DONE);
        received.clear();

        Cli.Outcome out = cli(hook(), "down");

        assertThat(out.exit()).isEqualTo(ExitCode.DONE);
        assertThat(events()).containsExactly("start", "rollback", "success");
        JsonNode rollback = received.get(1);
        assertThat(rollback.get("text").asText()).startsWith("rollback initiated on ").contains("(2)")
                .contains("1 archive to restore").containsPattern("ETA ~\\d+ s");
        assertThat(rollback.get("versions").toString()).isEqualTo("[\"2\"]");
        assertThat(rollback.get("archives").get(0).asText()).startsWith("2 step 1: column of public.items.note");
        assertThat(rollback.get("etaSeconds").isNumber()).isTrue();
    }

    @Test
    void anOperationMigrationsStartIsReportedAndItsRollbackAnnounced() throws IOException {
        assertThat(cli(hook(), "up").exit()).isEqualTo(ExitCode.DONE);
        files.write("0003_label.yaml", """
                operations:
                  - add_column:
                      table: items
                      up: "'item ' || id"
                      column: {name: label, type: text, nullable: false}
                """);
        received.clear();

        Cli.Outcome start = cli(hook(), "start", "3");
        Cli.Outcome rollback = cli(hook(), "rollback");

        assertThat(start.exit()).as(start.err()).isEqualTo(ExitCode.DONE);
        assertThat(rollback.exit()).as(rollback.err()).isEqualTo(ExitCode.DONE);
        assertThat(events()).containsExactly("start", "success", "start", "rollback", "success");
        assertThat(received.get(3).get("versions").toString()).isEqualTo("[\"3\"]");
        Path startReport = Path.of(received.get(1).get("report").asText());
        assertThat(startReport.getFileName().toString()).endsWith("_start_3.md");
        assertThat(java.nio.file.Files.readString(startReport)).startsWith("# reverso start: succeeded")
                .containsPattern("### 3 \\(start, step by step\\): done in \\d+ ms")
                .contains("| 4/5 | `start: backfill items` | - |")
                .contains("- how: reverso rollback (until reverso complete)").contains("- down plan: safe");
    }

    @Test
    void aMonitorAbortSendsTheThresholdActionAndTheFailure() {
        files.pair("0003_slow", "select pg_sleep(5);", "select 1;");

        Cli.Outcome out = cli(hook(), "up", "--max-duration", "1s");

        assertThat(out.exit()).isEqualTo(ExitCode.MIGRATION_FAILED);
        assertThat(events()).containsExactly("start", "threshold", "failure");
        assertThat(received.get(1).get("action").asText()).isEqualTo("aborted");
        assertThat(received.get(2).get("error").asText()).contains("--max-duration");
        assertThat(out.err()).containsPattern("reverso: postmortem draft \\S+_up_1-3_postmortem.md");
    }

    @Test
    void aReceiverAnswering500IsAWarningAndAnAuditRowNotAFailure() {
        status = 500;

        Cli.Outcome out = cli(hook(), "up");

        assertThat(out.exit()).isEqualTo(ExitCode.DONE);
        assertThat(out.err()).contains("warning: webhook start message not delivered to " + hook() + " after 3 tries: HTTP 500");
        assertThat(received).hasSize(6);
        assertThat(Cli.against(db.jdbcUrl(), dir, "history", "--limit", "2").out()).contains("webhook").contains("HTTP 500");
    }

    @Test
    void aPortNobodyListensOnIsAWarningNotAFailure() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }

        Cli.Outcome out = cli("http://127.0.0.1:" + port + "/hook", "up");

        assertThat(out.exit()).isEqualTo(ExitCode.DONE);
        assertThat(out.err()).contains("warning: webhook start message not delivered").contains("ConnectException");
        assertThat(Cli.against(db.jdbcUrl(), dir, "status").out()).containsPattern("2 +drop_note +applied");
    }

    @Test
    void aReceiverThatHangsDoesNotHoldUpTheRunBeyondTheTimeoutBudget() {
        sleepMs = 10_000;
        long t0 = System.nanoTime();

        Cli.Outcome out = cli(hook(), "up");

        long seconds = (System.nanoTime() - t0) / 1_000_000_000;
        assertThat(out.exit()).isEqualTo(ExitCode.DONE);
        // Each try times out after 2 s; the end of the run waits 3 s at most for the queue, not the receiver's 10 s per try.
        assertThat(seconds).isLessThan(9);
        assertThat(out.err()).contains("warning: webhook");
    }

    @Test
    void theWebhookAndTheReportFolderCanComeFromReversoYaml() throws IOException {
        Path yaml = reports.resolve("reverso.yaml");
        java.nio.file.Files.writeString(yaml, "webhook: " + hook() + "\nreport_dir: " + reports.resolve("from-yaml") + "\n");

        Cli.Outcome out = Cli.run("--config", yaml.toString(), "--url", db.jdbcUrl(), "--dir", dir.toString(), "up");

        assertThat(out.exit()).as(out.err()).isEqualTo(ExitCode.DONE);
        assertThat(events()).containsExactly("start", "success");
        assertThat(out.err()).contains("reverso: report " + reports.resolve("from-yaml"));
    }

    @Test
    void aWebhookThatIsNoHttpUrlIsBadInput() {
        Cli.Outcome out = cli("ftp://example.com/hook", "up");

        assertThat(out.exit()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(out.err()).contains("--webhook ftp://example.com/hook: not an http:// or https:// URL");
    }
}
