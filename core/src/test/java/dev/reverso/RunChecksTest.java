package dev.reverso;

import dev.reverso.history.AuditEntry;
import dev.reverso.testing.MigrationsDir;
import dev.reverso.testing.ScratchDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The checks a run makes around itself: preflight before (a fail stops it), verify after. */
class RunChecksTest {

    static ScratchDatabase db;

    @TempDir
    Path dir;
    MigrationsDir files;
    Reverso reverso;

    @BeforeAll
    static void createDatabase() {
        db = ScratchDatabase.create(RunChecksTest.class);
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    @BeforeEach
    void reset() {
        db.resetSchemas();
        db.execute("create table accounts (id int primary key, balance int not null default 0);"
                + " insert into accounts (id) select g from generate_series(1, 100) g");
        files = new MigrationsDir(dir);
        reverso = Reverso.with(ReversoConfig.of(db.url(), dir));
    }

    @Test
    void aSessionHoldingALockOnATouchedTableStopsTheRunBeforeAnythingChanges() throws Exception {
        files.pair("0001_note", "alter table accounts add column note text;", "alter table accounts drop column note;");
        try (Connection report = db.openTransactionReading("accounts", "monthly-report")) {
            CheckedRun<RunResult> run = reverso.up(Optional.empty(), RunChecks.all());

            assertThat(run.stopped()).isTrue();
            assertThat(run.verify()).isNull();
            assertThat(run.preflight().items()).filteredOn(i -> i.status() == PreflightReport.Status.FAIL)
                    .extracting(PreflightReport.Item::detail).singleElement().asString()
                    .contains("application 'monthly-report'").contains("0001_note.up.sql line 1 (ALTER TABLE)");
        }
        assertThat(db.value("select count(*) from information_schema.columns where column_name = 'note'")).isEqualTo("0");
        assertThat(reverso.status().migrations()).extracting(MigrationStatus::state).containsExactly(MigrationStatus.State.PENDING);
        AuditEntry audit = reverso.history(1).get(0);
        assertThat(audit.action()).isEqualTo("preflight");
        assertThat(audit.outcome()).isEqualTo("failed");
        assertThat(audit.detail()).startsWith("before up: ").contains("blocking sessions: pid ");

        CheckedRun<RunResult> free = reverso.up(Optional.empty(), RunChecks.all());
        assertThat(free.stopped()).isFalse();
        assertThat(free.preflight().failed()).isFalse();
        assertThat(free.verify().passed()).as(free.verify().toString()).isTrue();
        assertThat(reverso.history(10)).extracting(AuditEntry::action).contains("preflight", "up", "verify");
    }

    @Test
    void aVerifyFailureAfterUpLeavesTheMigrationAppliedAndNamesTheProblem() {
        files.pair("0001_positive", "alter table accounts add constraint balance_positive check (balance > 0) not valid;",
                "alter table accounts drop constraint balance_positive;");

        CheckedRun<RunResult> run = reverso.up(Optional.empty(), RunChecks.all());

        assertThat(run.result().migrations()).hasSize(1);
        assertThat(run.verifyFailed()).isTrue();
        assertThat(run.verify().failures()).extracting(VerifyReport.Problem::kind).containsExactly(VerifyReport.Kind.CHECK_VIOLATED);
        assertThat(run.verify().failures().get(0).detail()).contains("100 rows of public.accounts fail the check");
        assertThat(reverso.status().migrations()).extracting(MigrationStatus::state).containsExactly(MigrationStatus.State.APPLIED);
        AuditEntry audit = reverso.history(1).get(0);
        assertThat(List.of(audit.action(), audit.outcome())).containsExactly("verify", "failed");
    }

    @Test
    void aConstraintLeftNotValidThatTheDataPassesIsShownButFailsNothing() {
        files.pair("0001_nonnegative", "alter table accounts add constraint balance_nonnegative check (balance >= 0) not valid;",
                "alter table accounts drop constraint balance_nonnegative;");

        CheckedRun<RunResult> run = reverso.up(Optional.empty(), RunChecks.all());

        assertThat(run.verifyFailed()).isFalse();
        assertThat(run.verify().problems()).extracting(VerifyReport.Problem::kind)
                .containsExactly(VerifyReport.Kind.UNVALIDATED_CONSTRAINT);
    }

    @Test
    void skippedChecksAreNotMadeAndNothingPendingMakesNone() {
        files.pair("0001_positive", "alter table accounts add constraint balance_positive check (balance > 0) not valid;",
                "alter table accounts drop constraint balance_positive;");

        CheckedRun<RunResult> run = reverso.up(Optional.empty(), new RunChecks(false, false));

        assertThat(run.preflight()).isNull();
        assertThat(run.verify()).isNull();
        assertThat(run.result().migrations()).hasSize(1);
        CheckedRun<RunResult> nothing = reverso.up(Optional.empty(), RunChecks.all());
        assertThat(nothing.preflight()).isNull();
        assertThat(nothing.verify()).isNull();
        assertThat(reverso.history(10)).extracting(AuditEntry::action).doesNotContain("preflight", "verify");
    }

    @Test
    void downIsCheckedOnTheTablesItsStoredDownsTouch() throws Exception {
        files.pair("0001_note", "alter table accounts add column note text;", "alter table accounts drop column note;");
        reverso.up(Optional.empty());
        try (Connection report = db.openTransactionReading("accounts", "report")) {
            CheckedRun<RunResult> run = reverso.down(new DownTarget.Count(1), RunChecks.all());

            assertThat(run.stopped()).isTrue();
            assertThat(run.preflight().items()).filteredOn(i -> i.status() == PreflightReport.Status.FAIL)
                    .extracting(PreflightReport.Item::detail).singleElement().asString()
                    .contains("stored down of 1_note line 1 (ALTER TABLE)");
        }
        assertThat(reverso.status().migrations()).extracting(MigrationStatus::state).containsExactly(MigrationStatus.State.APPLIED);
    }

    @Test
    void theSchemaIsComparedWithTheAppliedMigrationsReplayed() {
        files.pair("0001_note", "alter table accounts add column note text;", "alter table accounts drop column note;")
                .pair("0002_ledger", "create table ledger (id bigint generated always as identity primary key,"
                        + " account_id int references accounts, amount int);", "drop table ledger;");
        // accounts predates the migrations: the replay needs it too, so they start from it here.
        db.execute("drop table accounts");
        files.write("0000_accounts.up.sql", "create table accounts (id int primary key, balance int not null default 0);");
        files.write("0003_amount_check.up.sql", "alter table ledger add constraint ledger_amount_check check (amount <> 0) not valid;");
        reverso.up(Optional.empty());
        assertThat(reverso.verify().problems()).extracting(VerifyReport.Problem::kind)
                .containsExactly(VerifyReport.Kind.UNVALIDATED_CONSTRAINT);
        assertThat(reverso.verify().checks()).contains("the schema against the applied migrations");

        db.execute("create index accounts_balance_idx on accounts (balance); alter table accounts drop column note;"
                + " alter table ledger alter column amount type bigint;"
                // Validated by hand: stronger than the migration left it, so no difference.
                + " alter table ledger validate constraint ledger_amount_check");

        VerifyReport report = reverso.verify();

        assertThat(report.problems()).extracting(VerifyReport.Problem::kind, VerifyReport.Problem::object).containsExactly(
                org.assertj.core.groups.Tuple.tuple(VerifyReport.Kind.OBJECT_MISSING, "column public.accounts.note"),
                org.assertj.core.groups.Tuple.tuple(VerifyReport.Kind.OBJECT_CHANGED, "column public.ledger.amount"),
                org.assertj.core.groups.Tuple.tuple(VerifyReport.Kind.OBJECT_UNEXPECTED, "index public.accounts_balance_idx"));
        assertThat(report.problems().get(1).detail()).contains("is bigint; the applied migrations make it integer");
        assertThat(db.value("select count(*) from pg_database where datname like 'reverso_expected_%'")).isEqualTo("0");
    }

    @Test
    void anOperationMigrationIsReplayedWithItsVersionSchemaLeftOut() {
        files.write("0001_accounts.up.sql", "create table accounts (id int primary key, balance int not null default 0);");
        db.execute("drop table accounts");
        reverso.up(Optional.empty());
        db.execute("insert into accounts (id) select g from generate_series(1, 10) g");
        files.write("0002_label.yaml", """
                operations:
                  - add_column:
                      table: accounts
                      up: "'account ' || id"
                      column: {name: label, type: text, nullable: false}
                """);

        CheckedRun<dev.reverso.ops.ExpandContract.Started> started = reverso.start("2", RunChecks.all());
        assertThat(started.preflight().failed()).isFalse();
        // Started: the new column's NOT NULL is a NOT VALID check until complete; the schema matches the replay.
        assertThat(reverso.verify().problems()).extracting(VerifyReport.Problem::kind)
                .containsExactly(VerifyReport.Kind.UNVALIDATED_CONSTRAINT);
        CheckedRun<dev.reverso.history.ExpansionRow> completed = reverso.complete(RunChecks.all());

        assertThat(completed.preflight().failed()).isFalse();
        assertThat(completed.verify().problems()).as("completed").isEmpty();
    }
}
