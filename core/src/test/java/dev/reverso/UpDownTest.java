package dev.reverso;

import dev.reverso.history.AuditEntry;
import dev.reverso.source.Version;
import dev.reverso.testing.MigrationsDir;
import dev.reverso.testing.ScratchDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UpDownTest {

    static ScratchDatabase db;

    @TempDir
    Path dir;
    MigrationsDir files;
    Reverso reverso;

    @BeforeAll
    static void createDatabase() {
        db = ScratchDatabase.create(UpDownTest.class);
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    @BeforeEach
    void reset() {
        db.execute("drop schema if exists reverso cascade; drop schema public cascade; create schema public");
        files = new MigrationsDir(dir);
        reverso = Reverso.with(ReversoConfig.of(db.url(), dir));
    }

    @Test
    void appliesInOrderAndRollsBackNewestFirstWithTheStoredDowns() {
        files.pair("0001_users", "create table users (id int primary key, email text);", "drop table users;")
                .pair("0002_index", "create index concurrently users_email_idx on users (email);",
                        "drop index concurrently users_email_idx;")
                .pair("0003_orders", "create table orders (id int primary key, user_id int references users);\n"
                        + "insert into users values (1, 'a@example.com');", "drop table orders;\ndelete from users where id = 1;");

        RunResult up = reverso.up(Optional.empty());

        assertThat(up.migrations()).extracting(RunResult.Ran::version).containsExactly("1", "2", "3");
        assertThat(up.migrations()).extracting(RunResult.Ran::transactional).containsExactly(true, false, true);
        assertThat(db.value("select indisvalid::text from pg_index where indexrelid = 'users_email_idx'::regclass")).isEqualTo("true");
        assertThat(reverso.status().migrations()).extracting(MigrationStatus::state)
                .containsOnly(MigrationStatus.State.APPLIED);

        // The files change and then vanish: the rollback still uses what was stored at apply time.
        files.write("0003_orders.down.sql", "select 1/0;");
        files.delete("0003_orders.up.sql").delete("0003_orders.down.sql").delete("0002_index.up.sql");

        RunResult down = reverso.down(new DownTarget.Count(2));

        assertThat(down.migrations()).extracting(RunResult.Ran::version).containsExactly("3", "2");
        assertThat(db.tableExists("orders")).isFalse();
        assertThat(db.tableExists("users_email_idx")).isFalse();
        assertThat(db.value("select count(*) from users")).isEqualTo("0");
        StatusReport status = reverso.status();
        assertThat(status.migrations()).extracting(MigrationStatus::version, MigrationStatus::state, MigrationStatus::fileMissing)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("1", MigrationStatus.State.APPLIED, false),
                        org.assertj.core.groups.Tuple.tuple("2", MigrationStatus.State.ROLLED_BACK, true),
                        org.assertj.core.groups.Tuple.tuple("3", MigrationStatus.State.ROLLED_BACK, true));
    }

    @Test
    void upToStopsAtTheVersionAndDownToKeepsIt() {
        files.pair("1_a", "create table a (id int);", "drop table a;")
                .pair("2_b", "create table b (id int);", "drop table b;")
                .pair("3_c", "create table c (id int);", "drop table c;");

        reverso.up(Optional.of(Version.parse("2")));
        assertThat(db.tableExists("b")).isTrue();
        assertThat(db.tableExists("c")).isFalse();

        reverso.up(Optional.empty());
        reverso.down(new DownTarget.To(Version.parse("1")));

        assertThat(db.tableExists("a")).isTrue();
        assertThat(db.tableExists("b")).isFalse();
        assertThat(db.tableExists("c")).isFalse();

        // Applying again after a rollback works, and status counts them as pending before.
        assertThat(reverso.status().pending()).isEqualTo(2);
        reverso.up(Optional.empty());
        assertThat(db.tableExists("c")).isTrue();
    }

    @Test
    void readsFlywayNaming() {
        files.write("V1__create_things.sql", "create table things (id int);")
                .write("U1__create_things.sql", "drop table things;")
                .write("V1_1__more.sql", "alter table things add column name text;");

        reverso.up(Optional.empty());

        assertThat(reverso.status().migrations()).extracting(MigrationStatus::version, MigrationStatus::hasDown)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("1", true), org.assertj.core.groups.Tuple.tuple("1.1", false));
    }

    @Test
    void refusesToRollBackAMigrationWithoutADownBeforeRunningAnything() {
        files.pair("1_a", "create table a (id int);", "drop table a;")
                .pair("2_b", "create table b (id int);\ngrant select on b to public;", null)
                .pair("3_c", "create table c (id int);", "drop table c;");
        reverso.up(Optional.empty());

        // Without a down, Reverso derives one where it knows every statement's inverse; not for a GRANT.
        assertThatThrownBy(() -> reverso.down(new DownTarget.All()))
                .isInstanceOf(ReversoException.class)
                .hasMessageContaining("cannot roll back 2_b: it has no down migration and Reverso cannot derive one: step 2"
                        + " (grant select on b to public): Reverso does not know the inverse of GRANT")
                .extracting(e -> ((ReversoException) e).kind()).isEqualTo(ReversoException.Kind.BAD_INPUT);

        assertThat(db.tableExists("c")).as("3 must not have been rolled back").isTrue();
    }

    @Test
    void transactionalFailureChangesNothingButTheAuditTrail() {
        files.pair("1_a", "create table a (id int);", "drop table a;");
        reverso.up(Optional.empty());
        files.pair("2_b", "create table b (id int);\ninsert into b values (1);\ninsert into missing values (1);", "drop table b;");

        assertThatThrownBy(() -> reverso.up(Optional.empty()))
                .isInstanceOf(ReversoException.class)
                .hasMessageContaining("2_b failed at line 3")
                .hasMessageContaining("relation \"missing\" does not exist")
                .hasMessageEndingWith("; rolled back, nothing changed");

        assertThat(db.tableExists("a")).isTrue();
        assertThat(db.tableExists("b")).isFalse();
        StatusReport status = reverso.status();
        assertThat(status.dirty()).isFalse();
        assertThat(status.migrations().get(1).state()).isEqualTo(MigrationStatus.State.PENDING);
        List<AuditEntry> audit = reverso.history(10);
        assertThat(audit).anySatisfy(e -> {
            assertThat(e.version()).isEqualTo("2");
            assertThat(e.outcome()).isEqualTo("failed");
        });
    }

    @Test
    void aFailureAfterEarlierMigrationsOfTheRunSaysTheyStayApplied() {
        files.pair("1_a", "create table a (id int);", "drop table a;")
                .pair("2_b", "create table b (id int);", "drop table b;")
                .pair("3_c", "create table c (id int);\ninsert into missing values (1);", "drop table c;");

        assertThatThrownBy(() -> reverso.up(Optional.empty()))
                .isInstanceOf(ReversoException.class)
                .hasMessage("3_c failed at line 2 (insert into missing values (1)): relation \"missing\" does not exist"
                        + "; this migration was rolled back; 2 migrations applied before it in this run stay applied");

        assertThat(db.tableExists("b")).isTrue();
        assertThat(db.tableExists("c")).isFalse();
        assertThat(reverso.history(10)).anySatisfy(e -> {
            assertThat(e.version()).isEqualTo("3");
            assertThat(e.detail()).endsWith("; this migration was rolled back; 2 migrations applied before it in this run stay applied");
        });

        // Step by step, failing at its first step: the same about the one applied before it.
        files.delete("3_c.up.sql").delete("3_c.down.sql")
                .pair("3_c", "create table c (id int);", "drop table c;")
                .pair("4_d", "create index concurrently d_idx on missing (id);", "drop index concurrently d_idx;");
        assertThatThrownBy(() -> reverso.up(Optional.empty()))
                .isInstanceOf(ReversoException.class)
                .hasMessageStartingWith("4_d failed at step 1 of 1, line 1")
                .hasMessageEndingWith("; no step had run, this migration changed nothing; 1 migration applied before it in this run"
                        + " stays applied");

        // A down that fails after others of its run were rolled back.
        files.delete("4_d.up.sql").delete("4_d.down.sql");
        db.execute("update reverso.migrations set down_sql = 'drop table b;' || chr(10) || 'drop table missing;' where version = '2'");
        assertThatThrownBy(() -> reverso.down(new DownTarget.All()))
                .isInstanceOf(ReversoException.class)
                .hasMessageStartingWith("2_b failed at line 2 (drop table missing)")
                .hasMessageEndingWith("; its rollback was undone, it stays applied; 1 migration rolled back before it in this run"
                        + " stays rolled back");
        assertThat(db.tableExists("c")).isFalse();
        assertThat(db.tableExists("b")).isTrue();
    }

    @Test
    void aConfiguredStatementTimeoutStopsALongStatementAndNothingChanges() {
        files.pair("1_slow", "create table a (id int);\nselect pg_sleep(3);", "drop table a;");
        Reverso bounded = Reverso.with(ReversoConfig.of(db.url(), dir).withStatementTimeout(java.time.Duration.ofMillis(300)));

        assertThatThrownBy(() -> bounded.up(Optional.empty()))
                .isInstanceOfSatisfying(ReversoException.class, e -> assertThat(e.kind()).isEqualTo(ReversoException.Kind.MIGRATION_FAILED))
                .hasMessageContaining("1_slow failed at line 2")
                .hasMessageContaining("canceling statement due to statement timeout")
                .hasMessageContaining("nothing changed");

        assertThat(db.tableExists("a")).isFalse();
        assertThat(reverso.status().migrations().get(0).state()).isEqualTo(MigrationStatus.State.PENDING);
    }

    @Test
    void unwrapsABeginCommitAroundTheWholeFileAndRefusesOtherTransactionControl() {
        files.pair("1_a", "BEGIN;\ncreate table a (id int);\nCOMMIT;\n", "drop table a;");
        reverso.up(Optional.empty());
        assertThat(db.tableExists("a")).isTrue();

        files.pair("2_b", "create table b (id int);\ncommit;\ncreate table c (id int);", "drop table b;");
        assertThatThrownBy(() -> reverso.up(Optional.empty()))
                .hasMessageContaining("2_b.up.sql:2:1: COMMIT is not allowed inside a migration");
        assertThat(db.tableExists("b")).isFalse();
    }

    @Test
    void warnsWhenAnAppliedFileChangedAndValidateReportsIt() {
        files.pair("1_a", "create table a (id int);", "drop table a;");
        reverso.up(Optional.empty());
        files.write("1_a.up.sql", "create table a (id bigint);");

        List<Event> events = new java.util.ArrayList<>();
        Reverso listening = Reverso.with(ReversoConfig.of(db.url(), dir).withListener(events::add));
        listening.up(Optional.empty());

        assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOf(Event.Warning.class)
                .extracting(w -> ((Event.Warning) w).message()).asString().contains("changed since it was applied"));
        assertThat(reverso.status().migrations().get(0).checksumChanged()).isTrue();
        assertThat(reverso.validate().findings()).extracting(ValidationReport.Finding::type)
                .contains(ValidationReport.Type.CHECKSUM_DRIFT);
    }
}
