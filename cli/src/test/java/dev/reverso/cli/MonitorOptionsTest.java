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

/** The monitor's thresholds on the command line: parsed in one place, acted on, reported in text and JSON. */
class MonitorOptionsTest {

    static ScratchDatabase db;

    @TempDir
    Path dir;

    @BeforeAll
    static void createDatabase() {
        db = ScratchDatabase.create(MonitorOptionsTest.class);
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    @BeforeEach
    void reset() {
        db.resetSchemas();
        new MigrationsDir(dir).pair("0001_slow", "create table ledger (id int);\nselect pg_sleep(20);", "drop table ledger;");
    }

    @Test
    void aBadDurationIsOneLineAndExit2() {
        for (String command : new String[] {"up", "down", "start", "complete", "rollback"}) {
            Cli.Outcome o = Cli.against(db.jdbcUrl(), dir, command, "--max-blocking", "2x");
            assertThat(o.exit()).as(command).isEqualTo(ExitCode.BAD_INPUT);
            assertThat(o.err().strip()).as(command).doesNotContain("\n").contains("'2x' is not a duration");
        }
    }

    @Test
    void maxDurationAbortsRollsBackAndExits5SayingWhy() {
        Cli.Outcome o = Cli.against(db.jdbcUrl(), dir, "up", "--max-duration", "1s");

        assertThat(o.exit()).isEqualTo(ExitCode.MIGRATION_FAILED);
        assertThat(o.err()).contains("monitor: aborted: the run took 1.").contains("reverso: aborted: the run took 1.")
                .contains("over --max-duration 1.0 s; cancelled select pg_sleep(20)").contains("rolled back, nothing changed");
        assertThat(db.tableExists("ledger")).isFalse();
        assertThat(Cli.against(db.jdbcUrl(), dir, "status").out()).contains("pending");
    }

    @Test
    void jsonFormatWritesSamplesAndActionsAsJsonLinesOnStderr() {
        Cli.Outcome o = Cli.against(db.jdbcUrl(), dir, "--format", "json", "up", "--max-duration", "1500ms");

        assertThat(o.exit()).isEqualTo(ExitCode.MIGRATION_FAILED);
        assertThat(o.err().lines().filter(l -> l.startsWith("{\"event\":\"sample\""))).isNotEmpty()
                .allSatisfy(l -> assertThat(l).contains("\"migration\":{\"pid\":"));
        assertThat(o.err().lines().filter(l -> l.startsWith("{"))).anySatisfy(l -> assertThat(l)
                .contains("\"event\":\"threshold\"").contains("\"outcome\":\"aborted\"").contains("\"stops\":true"));
        assertThat(o.out()).contains("\"exit\" : 5");
    }

    @Test
    void thresholdsComeFromTheConfigFileUnderTheCommand() throws Exception {
        Path config = dir.resolveSibling(dir.getFileName() + "-reverso.yaml");
        java.nio.file.Files.writeString(config, "up:\n  max_duration: 1s\n");
        Cli.Outcome o = Cli.against(db.jdbcUrl(), dir, "--config", config.toString(), "up");

        assertThat(o.exit()).isEqualTo(ExitCode.MIGRATION_FAILED);
        assertThat(o.err()).contains("over --max-duration 1.0 s");
    }

    /** The migration waits up to 3 s for a report's lock, in one lock wait, while the monitor looks. */
    private Cli.Outcome upBehindAReport(boolean interactive) throws Exception {
        new MigrationsDir(dir).delete("0001_slow.up.sql").delete("0001_slow.down.sql")
                .pair("0001_note", "create table if not exists ledger (id int);\nalter table ledger add column note text;", null);
        db.execute("create table ledger (id int)");
        try (java.sql.Connection report = db.connect(); java.sql.Statement st = report.createStatement()) {
            st.execute("set application_name = 'monthly-report'");
            report.setAutoCommit(false);
            st.execute("select count(*) from ledger");
            Thread release = new Thread(() -> {
                try {
                    Thread.sleep(3000);
                    report.rollback();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            release.start();
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
            Terminal terminal = new Terminal(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8),
                    new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8), interactive);
            int exit = Main.run(terminal, "--url", db.jdbcUrl(), "--dir", dir.toString(), "--lock-timeout", "10s",
                    "--lock-timeout-max", "10s", "up", "--no-preflight");
            release.join();
            return new Cli.Outcome(exit, out.toString(java.nio.charset.StandardCharsets.UTF_8),
                    err.toString(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    @Test
    void inAPipeTheMonitorPrintsALineWhenWhatItSeesChanges() throws Exception {
        Cli.Outcome o = upBehindAReport(false);

        assertThat(o.exit()).as(o.err()).isEqualTo(ExitCode.DONE);
        assertThat(o.err().lines().filter(l -> l.startsWith("monitor: waiting for pid"))).as(o.err()).singleElement()
                .satisfies(l -> assertThat(l).contains("('monthly-report'), idle in transaction for ")
                        .endsWith(": select count(*) from ledger"));
    }

    @Test
    void onATerminalTheMonitorJoinsTheLiveLine() throws Exception {
        Cli.Outcome o = upBehindAReport(true);

        assertThat(o.exit()).as(o.err()).isEqualTo(ExitCode.DONE);
        assertThat(o.err()).contains("\r\u001b[2Kmonitor: waiting for pid").contains("('monthly-report'), idle in transaction");
    }
}
