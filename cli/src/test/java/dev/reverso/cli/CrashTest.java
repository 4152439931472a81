package dev.reverso.cli;

import dev.reverso.testing.MigrationsDir;
import dev.reverso.testing.ScratchDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kill -9 of a real runner process at the worst moments: the database must be left in a state
 * that status describes truthfully and repair brings back to clean.
 */
class CrashTest {

    static ScratchDatabase db;

    @TempDir
    Path dir;
    MigrationsDir files;
    Process runner;

    @BeforeAll
    static void createDatabase() {
        db = ScratchDatabase.create(CrashTest.class);
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    @BeforeEach
    void reset() {
        db.execute("drop schema if exists reverso cascade; drop schema public cascade; create schema public");
        files = new MigrationsDir(dir);
    }

    @AfterEach
    void killRunner() {
        if (runner != null) {
            runner.destroyForcibly();
        }
    }

    /**
     * Starts {@code reverso up} in a child JVM, as a user would; without the preflight, which
     * would stop it on the old snapshot these tests hold on purpose.
     */
    private Process startUp() throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "dev.reverso.cli.Main",
                "--url", db.jdbcUrl(), "--dir", dir.toString(), "up", "--no-preflight");
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        runner = pb.start();
        return runner;
    }

    private Cli.Outcome cli(String... command) {
        return Cli.against(db.jdbcUrl(), dir, command);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(25);
        }
    }

    private boolean runnerSessionGone() {
        return db.value("select count(*) from pg_stat_activity where datname = current_database() and application_name = 'reverso'")
                .equals("0");
    }

    private void kill9() throws Exception {
        runner.destroyForcibly();
        assertThat(runner.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(runner.exitValue()).as("killed by SIGKILL").isEqualTo(137);
    }

    private String stepState(int step) {
        var states = db.column("select state from reverso.steps where version = '1' and direction = 'up' and step = " + step);
        return states.isEmpty() ? "" : states.get(0);
    }

    @Test
    void killedBetweenStepsOfAStepByStepMigrationThenResumed() throws Exception {
        files.pair("0001_steps", "-- reverso:no-transaction\n"
                + "create table crash_a (id int);\n"
                + "create index concurrently crash_a_idx on crash_a (id);\n"
                + "select pg_sleep(2);\n"
                + "create table crash_b (id int);\n", "drop table crash_b;\ndrop table crash_a;");
        startUp();
        await("step 3 to start", () -> db.tableExists("reverso.steps") && stepState(3).equals("running"));
        kill9();
        await("the killed runner's session to end", this::runnerSessionGone);

        Cli.Outcome status = cli("status");
        assertThat(status.out()).contains("interrupted at step 3 of 4 (line 4)").contains("the database is dirty");
        assertThat(cli("--format", "json", "status").out()).contains("\"state\" : \"INTERRUPTED\"");

        Cli.Outcome up = cli("up");
        assertThat(up.exit()).isEqualTo(5);
        assertThat(up.err()).contains("the database is dirty: 1_steps is running").contains("reverso repair");

        Cli.Outcome inspect = cli("repair");
        assertThat(inspect.exit()).isZero();
        assertThat(inspect.out()).containsPattern("1 +2 +done +create table crash_a")
                .containsPattern("3 +4 +running +select pg_sleep")
                .contains("2 of 4 steps done");

        Cli.Outcome markApplied = cli("repair", "--mark-applied");
        assertThat(markApplied.exit()).isEqualTo(1);
        assertThat(markApplied.err()).contains("refusing --mark-applied for 1_steps: step 4 (line 5) creates table crash_b, which does not exist");

        Cli.Outcome markRolledBack = cli("repair", "--mark-rolled-back");
        assertThat(markRolledBack.exit()).isEqualTo(1);
        assertThat(markRolledBack.err()).contains("step 1 (line 2) creates table crash_a, which still exists")
                .contains("step 2 (line 3) creates index crash_a_idx, which still exists");

        Cli.Outcome resume = cli("repair", "--resume");
        assertThat(resume.exit()).as(resume.err()).isZero();
        assertThat(resume.out()).contains("resumed from step 3 and is now applied");
        assertThat(db.tableExists("crash_b")).isTrue();
        assertThat(cli("status").out()).containsPattern("1 +steps +applied");
        assertThat(cli("history").out()).contains("resumed");
    }

    @Test
    void killedDuringAConcurrentIndexBuildLeavesAnInvalidIndexThatResumeRebuilds() throws Exception {
        db.execute("create table big (id int primary key, v int); insert into big select g, g % 97 from generate_series(1, 50000) g");
        files.pair("0001_index", "create index concurrently big_v_idx on big (v);\nalter table big add column w int;",
                "alter table big drop column w;\ndrop index concurrently big_v_idx;");
        // An old snapshot makes the build wait in its last phase, with the index not yet valid.
        try (Connection old = db.connect(); Statement st = old.createStatement()) {
            old.setAutoCommit(false);
            st.execute("set transaction isolation level repeatable read");
            st.execute("select count(*) from big");
            startUp();
            await("the index build to wait for the old snapshot", () -> db.value("select count(*) from pg_stat_activity"
                    + " where datname = current_database() and application_name = 'reverso' and wait_event_type = 'Lock' and query like 'create index%'").equals("1"));
            kill9();
            // The server notices a dead client only when it next talks to it; end the build the way a crash would.
            db.execute("select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'reverso'"
                    + " and datname = current_database()");
            await("the killed runner's session to end", this::runnerSessionGone);
            old.rollback();
        }
        assertThat(db.value("select indisvalid::text from pg_index where indexrelid = 'big_v_idx'::regclass")).isEqualTo("false");

        assertThat(cli("status").out()).contains("interrupted at step 1 of 2 (line 1)");
        Cli.Outcome markApplied = cli("repair", "--mark-applied");
        assertThat(markApplied.exit()).isEqualTo(1);
        assertThat(markApplied.err()).contains("creates index big_v_idx, which is invalid");

        Cli.Outcome resume = cli("repair", "--resume");
        assertThat(resume.exit()).as(resume.err()).isZero();
        assertThat(db.value("select indisvalid::text from pg_index where indexrelid = 'big_v_idx'::regclass")).isEqualTo("true");
        assertThat(db.value("select count(*) from information_schema.columns where table_name = 'big' and column_name = 'w'"))
                .isEqualTo("1");
        assertThat(cli("history", "--limit", "5").out()).contains("dropped invalid index");
    }

    @Test
    void aTransactionalMigrationKilledMidWayLeavesNothingButAnAuditRow() throws Exception {
        files.pair("0001_tx", "create table tx_a (id int);\nselect pg_sleep(2);\ncreate table tx_b (id int);", "drop table tx_b;\ndrop table tx_a;");
        startUp();
        await("the migration to be inside its transaction", () -> db.value("select count(*) from pg_stat_activity"
                + " where datname = current_database() and application_name = 'reverso' and query like 'select pg_sleep%'").equals("1"));
        kill9();
        await("the killed runner's session to end", this::runnerSessionGone);

        assertThat(db.tableExists("tx_a")).isFalse();
        assertThat(db.value("select count(*) from reverso.migrations")).isEqualTo("0");
        assertThat(db.column("select action || ' ' || outcome || ' ' || detail from reverso.audit order by id"))
                .containsExactly("up started 1 pending: 1");
        Cli.Outcome status = cli("status");
        assertThat(status.out()).containsPattern("1 +tx +pending").doesNotContain("dirty");
        assertThat(cli("up").exit()).isZero();
        assertThat(db.tableExists("tx_b")).isTrue();
    }
}
