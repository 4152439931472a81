package dev.reverso.cli;

import dev.reverso.testing.MigrationsDir;
import dev.reverso.testing.ScratchDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;

import static org.assertj.core.api.Assertions.assertThat;

/** The preflight before up, down, start and complete, and the verify after up and complete, as a user sees them. */
class RunChecksCommandTest {

    static ScratchDatabase db;

    @TempDir
    Path dir;
    MigrationsDir files;

    @BeforeAll
    static void createDatabase() {
        db = ScratchDatabase.create(RunChecksCommandTest.class);
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    @BeforeEach
    void reset() {
        db.resetSchemas();
        files = new MigrationsDir(dir);
        files.write("0001_accounts.up.sql", "create table accounts (id int primary key, balance int not null default 0);\n"
                + "insert into accounts (id) select g from generate_series(1, 100) g;");
        assertThat(cli("up").exit()).isEqualTo(ExitCode.DONE);
    }

    private Cli.Outcome cli(String... command) {
        return Cli.against(db.jdbcUrl(), dir, command);
    }

    @Test
    void aSessionHoldingALockStopsUpWithExit1AndNothingApplied() throws Exception {
        files.pair("0002_note", "alter table accounts add column note text;", "alter table accounts drop column note;");
        try (Connection report = db.openTransactionReading("accounts", "monthly-report")) {
            Cli.Outcome out = cli("up");
            Cli.Outcome json = cli("--format", "json", "up");

            assertThat(out.exit()).isEqualTo(ExitCode.CHECK_FAILED);
            assertThat(out.err()).containsPattern("preflight FAIL blocking sessions: pid \\d+ \\(user postgres, application"
                    + " 'monthly-report'.*holds a lock that 0002_note.up.sql line 1 \\(ALTER TABLE\\) would wait for")
                    .contains("reverso: preflight failed; nothing was changed (see reverso preflight; skip the checks with"
                            + " --no-preflight)");
            assertThat(out.out()).doesNotContain("applied");
            assertThat(json.exit()).isEqualTo(ExitCode.CHECK_FAILED);
            assertThat(json.out()).contains("\"preflight\" : {").contains("\"status\" : \"FAIL\"").doesNotContain("\"direction\"");
        }
        assertThat(cli("status").out()).containsPattern("2 +note +pending");
        assertThat(cli("history", "--limit", "1").out()).contains("preflight").contains("failed").contains("before up");
    }

    @Test
    void noPreflightRunsAnywayAndWaitsForTheLockPolitely() throws Exception {
        files.pair("0002_note", "alter table accounts add column note text;", "alter table accounts drop column note;");
        try (Connection report = db.openTransactionReading("accounts", "report")) {
            Thread release = new Thread(() -> {
                try {
                    Thread.sleep(700);
                    report.rollback();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            release.start();

            Cli.Outcome out = cli("up", "--no-preflight");

            release.join();
            assertThat(out.exit()).as(out.err()).isEqualTo(ExitCode.DONE);
            assertThat(out.err()).doesNotContain("preflight").contains("lock timeout (100 ms) on 2");
        }
        assertThat(db.value("select count(*) from information_schema.columns where column_name = 'note'")).isEqualTo("1");
    }

    @Test
    void aVerifyFailureAfterUpExits1WithTheMigrationApplied() {
        files.pair("0002_positive", "alter table accounts add constraint balance_positive check (balance > 0) not valid;",
                "alter table accounts drop constraint balance_positive;");

        Cli.Outcome out = cli("up");

        assertThat(out.exit()).isEqualTo(ExitCode.CHECK_FAILED);
        assertThat(out.err()).contains("preflight passed: ");
        assertThat(out.out()).contains("applied 1 migration")
                .contains("verify FAIL check violated: 100 rows of public.accounts fail the check; fix them before validating")
                .contains("verify warn unvalidated constraint: constraint public.accounts.balance_positive is NOT VALID");
        assertThat(out.err()).contains("reverso: verify found 1 problem after the run; the migrations stay applied; see reverso"
                + " verify, or roll back with reverso down");
        assertThat(cli("status").out()).containsPattern("2 +positive +applied");
        assertThat(cli("history", "--limit", "1").out()).contains("verify").contains("failed").contains("after up");
    }

    @Test
    void noVerifySkipsItAndJsonCarriesBothReports() {
        files.pair("0002_positive", "alter table accounts add constraint balance_positive check (balance > 0) not valid;",
                "alter table accounts drop constraint balance_positive;")
                .pair("0003_note", "alter table accounts add column note text;", "alter table accounts drop column note;");

        Cli.Outcome skipped = cli("up", "--to", "2", "--no-verify");
        Cli.Outcome json = cli("--format", "json", "up");

        assertThat(skipped.exit()).isEqualTo(ExitCode.DONE);
        assertThat(skipped.out()).contains("applied 1 migration").doesNotContain("verif");
        assertThat(json.exit()).isEqualTo(ExitCode.CHECK_FAILED);
        assertThat(json.out()).contains("\"direction\" : \"UP\"").contains("\"preflight\" : {").contains("\"verify\" : {")
                .contains("\"kind\" : \"CHECK_VIOLATED\"");
    }

    @Test
    void nothingPendingChecksNothingAndSaysOnlyThat() {
        Cli.Outcome out = cli("up");

        assertThat(out.exit()).isEqualTo(ExitCode.DONE);
        assertThat(out.out().strip()).isEqualTo("nothing to apply: the database is up to date");
        assertThat(out.err()).isEmpty();
    }

    @Test
    void downAndTheOperationCommandsAreCheckedToo() throws Exception {
        files.write("0002_label.yaml", """
                operations:
                  - add_column:
                      table: accounts
                      up: "'account ' || id"
                      column: {name: label, type: text, nullable: false}
                """);
        Cli.Outcome start = cli("start", "2");
        assertThat(start.exit()).as(start.err()).isEqualTo(ExitCode.DONE);
        assertThat(start.err()).contains("preflight passed: ");

        try (Connection report = db.openTransactionReading("accounts", "report")) {
            Cli.Outcome complete = cli("complete");
            assertThat(complete.exit()).isEqualTo(ExitCode.CHECK_FAILED);
            assertThat(complete.err()).contains("holds a lock that complete of 2 line ").contains("nothing was changed");
        }
        Cli.Outcome complete = cli("complete");
        assertThat(complete.exit()).as(complete.err()).isEqualTo(ExitCode.DONE);
        assertThat(complete.out()).contains("completed 2").contains("verified: ");

        files.pair("0003_note", "alter table accounts add column note text;", "alter table accounts drop column note;");
        assertThat(cli("up").exit()).isEqualTo(ExitCode.DONE);
        try (Connection report = db.openTransactionReading("accounts", "report")) {
            Cli.Outcome down = cli("down");
            assertThat(down.exit()).isEqualTo(ExitCode.CHECK_FAILED);
            assertThat(down.err()).contains("holds a lock that stored down of 3_note line 1 (ALTER TABLE) would wait for");
        }
        assertThat(cli("status").out()).containsPattern("3 +note +applied");
    }
}
