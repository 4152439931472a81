package dev.reverso.cli;

import dev.reverso.testing.MigrationsDir;
import dev.reverso.testing.ScratchDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** reverso drill: a real child runner killed with SIGKILL, then the recovery walked through and run. */
class DrillTest {

    static ScratchDatabase db;

    @TempDir
    Path dir;
    MigrationsDir files;

    @BeforeAll
    static void createDatabase() {
        db = ScratchDatabase.create(DrillTest.class);
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    @BeforeEach
    void reset() {
        db.execute("drop schema if exists reverso cascade; drop schema public cascade; create schema public");
        files = new MigrationsDir(dir);
        files.pair("0001_base", "create table base (id int);", "drop table base;");
    }

    private Cli.Outcome cli(String... command) {
        return Cli.against(db.jdbcUrl(), dir, command);
    }

    @Test
    void aStepByStepMigrationKilledAtStepTwoIsDirtyThenResumed() {
        files.pair("0002_steps", "-- reverso:no-transaction\n"
                + "create table drill_a (id int);\n"
                + "select pg_sleep(2);\n"
                + "create table drill_b (id int);\n", "drop table drill_b;\ndrop table drill_a;");

        Cli.Outcome drill = cli("drill", "2", "--kill-at", "2");

        assertThat(drill.exit()).as(drill.out() + drill.err()).isZero();
        assertThat(drill.out()).contains("Applying the migrations before 2")
                .contains("killing it at step 2 of 3 (step by step, outside a transaction)")
                .contains("killed the runner (SIGKILL")
                .contains("interrupted at step 2 of 3").contains("the database is dirty")
                .contains("reverso repair --mark-applied").contains("reverso repair --mark-rolled-back")
                .contains("Running the recommended repair: reverso repair --resume")
                .contains("resumed from step 2 and is now applied")
                .containsPattern("2 +steps +applied")
                .contains("drill complete: 2_steps is applied");
        assertThat(db.tableExists("drill_b")).isTrue();
        assertThat(cli("history").out()).contains("resumed");
    }

    @Test
    void aTransactionalMigrationKilledMidWayLeavesNothingAndUpRunsItAgain() {
        files.pair("0002_tx", "create table tx_a (id int);\nselect pg_sleep(2);\ncreate table tx_b (id int);",
                "drop table tx_b;\ndrop table tx_a;");

        Cli.Outcome drill = cli("--format", "json", "drill", "2", "--kill-at", "2");

        assertThat(drill.exit()).as(drill.out() + drill.err()).isZero();
        assertThat(drill.out()).contains("\"version\" : \"2\"").contains("\"killedAtStep\" : 2")
                .contains("\"stateAfterKill\" : \"pending\"").contains("\"repair\" : \"up\"")
                .contains("\"finalState\" : \"applied\"");
        assertThat(db.tableExists("tx_b")).isTrue();
        assertThat(db.column("select action || ' ' || outcome || ' ' || detail from reverso.audit where action = 'up' order by id"))
                .as("the killed child's run started and never finished; the repair's up did").containsSubsequence(
                        "up started 1 pending: 1", "up done 1 applied", "up started 1 pending: 2", "up started 1 pending: 2",
                        "up done 1 applied");
    }

    @Test
    void theTransactionalDrillExplainsTheServerRollback() {
        files.pair("0002_tx", "create table tx_a (id int);\nselect pg_sleep(2);\ncreate table tx_b (id int);",
                "drop table tx_b;\ndrop table tx_a;");

        Cli.Outcome drill = cli("drill", "2", "--kill-at", "random");

        assertThat(drill.exit()).as(drill.out() + drill.err()).isZero();
        assertThat(drill.out()).contains("(in one transaction)")
                .contains("State: pending, nothing applied. The migration runs in one transaction: the server rolled it back")
                .containsPattern("2 +tx +pending")
                .contains("Running the recommended repair: reverso up")
                .contains("drill complete: 2_tx is applied");
    }

    @Test
    void anUnknownVersionIsBadInput() {
        Cli.Outcome drill = cli("drill", "9");
        assertThat(drill.exit()).isEqualTo(2);
        assertThat(drill.err()).contains("no migration 9 in " + dir);
        assertThat(db.tableExists("reverso.migrations")).isFalse();
    }

    @Test
    void aDatabaseWithHistoryAtOrAfterTheVersionLooksLiveAndIsRefused() {
        files.pair("0002_more", "create table more (id int);", "drop table more;");
        files.pair("0003_last", "create table last (id int);", "drop table last;");
        assertThat(cli("up").exit()).isZero();

        Cli.Outcome drill = cli("drill", "2");
        assertThat(drill.exit()).isEqualTo(2);
        assertThat(drill.err()).contains("looks like a live database (2 is applied)").contains("--yes-this-is-scratch");
        Cli.Outcome applied = cli("drill", "2", "--yes-this-is-scratch");
        assertThat(applied.exit()).isEqualTo(2);
        assertThat(applied.err()).contains("2 is applied here: a drill needs it pending or rolled back");

        assertThat(cli("down", "--to", "1").exit()).isZero();
        db.execute("update reverso.migrations set state = 'applied' where version = '3'");
        Cli.Outcome live = cli("drill", "2");
        assertThat(live.exit()).isEqualTo(2);
        assertThat(live.err()).contains("looks like a live database (2 is rolled back)");

        Cli.Outcome scratch = cli("drill", "2", "--kill-at", "1", "--yes-this-is-scratch");
        assertThat(scratch.exit()).as(scratch.out() + scratch.err()).isZero();
        assertThat(scratch.out()).contains("killed the runner (SIGKILL").containsPattern("2 +more +rolled back")
                .contains("State: rolled back, nothing applied. The migration runs in one transaction: the server rolled it back")
                .contains("drill complete: 2_more is applied");
        assertThat(db.tableExists("more")).isTrue();
    }

    @Test
    void aDatabaseNotNamedWithUrlIsRefused() {
        Cli.Outcome drill = Cli.run("--dir", dir.toString(), "drill", "1");
        assertThat(drill.exit()).isEqualTo(2);
        assertThat(drill.err()).contains("drill needs the scratch database named explicitly with --url");
    }

    @Test
    void aKillStepOutsideTheMigrationIsBadInput() {
        files.pair("0002_one", "create table one (id int);", "drop table one;");
        Cli.Outcome drill = cli("drill", "2", "--kill-at", "4");
        assertThat(drill.exit()).isEqualTo(2);
        assertThat(drill.err()).contains("--kill-at: expected a step from 1 to 1 or random, got 4");
    }
}
