package dev.reverso.cli;

import dev.reverso.testing.MigrationsDir;
import dev.reverso.testing.ScratchDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** start, status, latest, rollback, complete as a user runs them, with their exit codes. */
class OperationCommandsTest {

    static ScratchDatabase db;

    @TempDir
    Path dir;

    @BeforeAll
    static void createDatabase() {
        db = ScratchDatabase.create(OperationCommandsTest.class);
        db.execute("create table items (id int primary key, title text not null);"
                + " insert into items select g, 'item ' || g from generate_series(1, 3000) g");
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    private Cli.Outcome cli(String... command) {
        return Cli.against(db.jdbcUrl(), dir, command);
    }

    @Test
    void aUserStartsLooksRollsBackAndCompletes() {
        MigrationsDir files = new MigrationsDir(dir);
        files.write("0001_slug.yaml", """
                operations:
                  - add_column:
                      table: items
                      up: "replace(title, ' ', '-')"
                      column: {name: slug, type: text, nullable: false, unique: true}
                """);

        Cli.Outcome start = cli("start", "1");
        assertThat(start.exit()).isEqualTo(ExitCode.DONE);
        assertThat(start.out()).contains("started 1").contains("SET search_path TO public_0001_slug");
        assertThat(start.err()).contains("backfill public.items: 3,000 rows");

        Cli.Outcome status = cli("status");
        assertThat(status.out()).contains("started: old and new versions live (new: public_0001_slug)")
                .contains("live versions: public_0001_slug, public");
        assertThat(cli("--format", "json", "latest").out()).contains("\"schema\" : \"public_0001_slug\"");

        Cli.Outcome again = cli("start", "1");
        assertThat(again.out()).contains("1 is already started");

        Cli.Outcome rollback = cli("rollback");
        assertThat(rollback.exit()).isEqualTo(ExitCode.DONE);
        assertThat(rollback.out()).contains("rolled back 1 in");
        assertThat(cli("latest").out().strip()).isEqualTo("public");

        Cli.Outcome nothing = cli("complete");
        assertThat(nothing.exit()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(nothing.err()).contains("no operation migration is started; nothing to complete");

        assertThat(cli("start", "0001_slug.yaml").exit()).isEqualTo(ExitCode.DONE);
        Cli.Outcome complete = cli("complete");
        assertThat(complete.exit()).isEqualTo(ExitCode.DONE);
        assertThat(complete.out()).contains("completed 1; the live version is schema public_0001_slug");
        assertThat(db.value("select slug from items where id = 7")).isEqualTo("item-7");
    }

    @Test
    void aBrokenDocumentExitsTwoWithItsPath() {
        Path other = dir.resolve("other");
        new MigrationsDir(other).write("0005_bad.json", "{\"operations\": [{\"rename_table\": {\"from\": \"items\"}}]}");
        Cli.Outcome out = Cli.against(db.jdbcUrl(), other, "start", "5");
        assertThat(out.exit()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(out.err()).contains("0005_bad.json: $.operations[0].rename_table.to: missing");
    }

    @Test
    void theRunbookOfAnOperationMigrationSaysHowEachPhaseResumesOrRollsBack() {
        Path folder = dir.resolve("runbook");
        new MigrationsDir(folder).write("0007_price.json", """
                {"operations": [{"add_column": {"table": "items", "up": "length(title)",
                  "column": {"name": "price", "type": "int", "nullable": false}}}]}""");
        Cli.Outcome out = Cli.against(db.jdbcUrl(), folder, "plan", "--runbook");
        assertThat(out.exit()).as(out.err()).isEqualTo(ExitCode.DONE);
        assertThat(out.out()).contains("## 7_price").contains("reverso start (expand), then reverso complete")
                .contains("`start 4: backfill items (_reverso_new_price) in batches by id`")
                .contains("run reverso start again to resume").contains("reverso rollback drops everything start added");
    }
}
