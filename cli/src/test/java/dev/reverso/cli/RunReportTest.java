package dev.reverso.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reverso.testing.MigrationsDir;
import dev.reverso.testing.ScratchDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The report every run writes, and the postmortem draft of a failed one, as files a user opens. */
class RunReportTest {

    static ScratchDatabase db;

    @TempDir
    Path dir;
    @TempDir
    Path reports;
    MigrationsDir files;

    @BeforeAll
    static void createDatabase() {
        db = ScratchDatabase.create(RunReportTest.class);
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    @BeforeEach
    void reset() {
        db.resetSchemas();
        db.execute("drop schema if exists reverso_archive cascade");
        files = new MigrationsDir(dir);
        files.pair("0001_items", "create table items (id int primary key, note text);\n"
                + "insert into items select g, 'n' || g from generate_series(1, 50) g;", "drop table items;");
    }

    private Cli.Outcome cli(String... command) {
        String[] args = Stream.concat(Stream.of("--report-dir", reports.toString()), Stream.of(command)).toArray(String[]::new);
        return Cli.against(db.jdbcUrl(), dir, args);
    }

    private List<Path> reportFiles() throws IOException {
        try (Stream<Path> s = Files.list(reports)) {
            return s.sorted().toList();
        }
    }

    @Test
    void aSuccessfulUpWritesMarkdownAndJsonWithEachStepItsLockAndTheWayBack() throws Exception {
        files.write("0002_note_index.up.sql", "create index concurrently items_note on items (note);");
        files.pair("0003_drop_note", "alter table items drop column note;", "alter table items add column note text;");

        Cli.Outcome out = cli("up");

        assertThat(out.exit()).isEqualTo(ExitCode.DONE);
        List<Path> written = reportFiles();
        assertThat(written).hasSize(2);
        Path md = written.stream().filter(p -> p.toString().endsWith(".md")).findFirst().orElseThrow();
        assertThat(md.getFileName().toString()).matches("\\d{8}T\\d{6}\\.\\d{3}Z_up_1-3\\.md");
        assertThat(out.err()).contains("reverso: report " + md);
        String text = Files.readString(md);
        assertThat(text).startsWith("# reverso up: succeeded")
                .contains("### 1_items (up, one transaction): done in ")
                .contains("### 2_note_index (up, step by step): done in ")
                .contains("### 3_drop_note (up, one transaction): done in ")
                .containsPattern("\\| 1/1 \\| `create index concurrently items_note on items \\(note\\)` \\| SHARE UPDATE EXCLUSIVE on items"
                        + " \\| \\d+ \\| 1 \\|")
                .containsPattern("\\| 1/1 \\| `alter table items drop column note` \\| ACCESS EXCLUSIVE on items \\| \\d+ \\| 1 \\|")
                .contains("archived before step 1")
                .contains("## Rollback path")
                .contains("- how: reverso down --count 3")
                .containsPattern("- archive: 3 step 1: column of public.items.note in \\S+ \\(50 rows\\)")
                .contains("the runbooks keep the way back open 48 h")
                .contains("## Verify");

        JsonNode json = new ObjectMapper().readTree(written.stream().filter(p -> p.toString().endsWith(".json")).findFirst()
                .orElseThrow().toFile());
        assertThat(json.get("outcome").asText()).isEqualTo("SUCCEEDED");
        assertThat(json.get("migrations")).hasSize(3);
        assertThat(json.get("migrations").get(2).get("steps").get(0).get("lock").asText()).isEqualTo("ACCESS EXCLUSIVE on items");
        assertThat(json.get("rollback").get("archives")).hasSize(1);
        assertThat(json.get("postmortem").isNull()).isTrue();
    }

    @Test
    void aFailedUpWritesThePostmortemWithTheFailingStepTheErrorTheStateAndTheRepairs() throws Exception {
        files.write("0002_columns.up.sql", "-- reverso:no-transaction\nalter table items add column x int;\n"
                + "alter table items add column x int;\n");

        Cli.Outcome out = cli("up");

        assertThat(out.exit()).isEqualTo(ExitCode.MIGRATION_FAILED);
        Path postmortem = reportFiles().stream().filter(p -> p.toString().endsWith("_postmortem.md")).findFirst().orElseThrow();
        assertThat(postmortem.getFileName().toString()).matches("\\d{8}T\\d{6}\\.\\d{3}Z_up_1-2_postmortem\\.md");
        assertThat(out.err()).contains("reverso: postmortem draft " + postmortem);
        assertThat(Files.readString(postmortem))
                .contains("# Postmortem draft: reverso up failed")
                .contains("## Failing step\n\n2_columns (up) step 2 of 2: alter table items add column x int [ACCESS EXCLUSIVE on items]")
                .contains("column \"x\" of relation \"items\" already exists")
                .containsPattern("up started: 2 pending")
                .contains("apply 2 failed")
                .containsPattern("- 2_columns: failed.*")
                .contains("- reverso repair --resume: ")
                .contains("- reverso repair --mark-applied: ")
                .contains("- reverso repair --mark-rolled-back: ")
                .contains("- reverso down --count N: rolls back the migrations this run applied before it failed");
        String report = Files.readString(reportFiles().stream().filter(p -> p.toString().endsWith("_1-2.md")).findFirst().orElseThrow());
        assertThat(report).startsWith("# reverso up: failed").contains("| 2/2 FAILED |");
    }

    @Test
    void noReportWritesNothing() throws Exception {
        assertThat(cli("--no-report", "up").exit()).isEqualTo(ExitCode.DONE);
        assertThat(reportFiles()).isEmpty();
    }
}
