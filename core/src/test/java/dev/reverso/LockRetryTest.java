package dev.reverso;

import dev.reverso.engine.RetryPolicy;
import dev.reverso.testing.MigrationsDir;
import dev.reverso.testing.ScratchDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** DDL against a table another session holds a lock on: retry politely, or give up cleanly and name the holder. */
class LockRetryTest {

    static ScratchDatabase db;

    @TempDir
    Path dir;
    MigrationsDir files;
    ExecutorService pool = Executors.newCachedThreadPool();
    String reportPid;

    @BeforeAll
    static void createDatabase() {
        db = ScratchDatabase.create(LockRetryTest.class);
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    @BeforeEach
    void reset() {
        db.execute("drop schema if exists reverso cascade; drop table if exists accounts; "
                + "create table accounts (id int primary key, balance int); insert into accounts select g, 0 from generate_series(1, 1000) g");
        files = new MigrationsDir(dir);
        files.pair("1_add_note", "alter table accounts add column note text;", "alter table accounts drop column note;");
    }

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    /** A report-like session: an open transaction that has read the table, so it holds ACCESS SHARE. */
    private Connection holdShareLock() throws SQLException {
        Connection report = db.connect();
        try (Statement st = report.createStatement()) {
            st.execute("set application_name = 'monthly-report'");
            reportPid = pidOf(report);
            report.setAutoCommit(false);
            st.execute("select count(*) from accounts");
        }
        return report;
    }

    @Test
    void retriesUntilTheHolderLetsGoWithoutStallingTheApplication() throws Exception {
        List<Event> events = new CopyOnWriteArrayList<>();
        Reverso reverso = Reverso.with(ReversoConfig.of(db.url(), dir).withListener(events::add));
        Connection report = holdShareLock();
        Future<RunResult> run = pool.submit(() -> reverso.up(Optional.empty()));

        // While the migration retries, the application's writes keep going: each waits at most one
        // lock_timeout behind the queued ALTER, never the report's whole duration.
        long worstMillis = 0;
        try (Connection app = db.connect(); Statement st = app.createStatement()) {
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
            while (System.nanoTime() < until) {
                long t0 = System.nanoTime();
                st.executeUpdate("update accounts set balance = balance + 1 where id = 7");
                worstMillis = Math.max(worstMillis, (System.nanoTime() - t0) / 1_000_000);
            }
        }
        report.rollback();
        report.close();
        RunResult result = run.get(30, TimeUnit.SECONDS);

        assertThat(result.migrations()).hasSize(1);
        assertThat(db.value("select count(*) from information_schema.columns where table_name = 'accounts' and column_name = 'note'"))
                .isEqualTo("1");
        List<Event.LockRetry> retries = events.stream().filter(Event.LockRetry.class::isInstance).map(Event.LockRetry.class::cast).toList();
        assertThat(retries).isNotEmpty();
        assertThat(retries.get(0).lockTimeout()).isEqualTo(Duration.ofMillis(100));
        assertThat(retries.get(0).blockers()).anySatisfy(b -> assertThat(b.applicationName()).isEqualTo("monthly-report"));
        // The lock timeout grows on repeated failures.
        if (retries.size() > 1) {
            assertThat(retries.get(1).lockTimeout()).isGreaterThan(retries.get(0).lockTimeout());
        }
        // Without lock_timeout the update would have waited the full 1.5 s behind the queued ALTER TABLE.
        assertThat(worstMillis).isLessThan(1000);
        assertThat(reverso.history(50)).anySatisfy(e -> assertThat(e.outcome()).isEqualTo("applied"));
        assertThat(reverso.history(50)).filteredOn(e -> e.action().equals("lock retry")).hasSize(retries.size())
                .allSatisfy(e -> assertThat(e.detail()).contains("hit lock_timeout").contains("monthly-report"));
    }

    @Test
    void givesUpAfterTheTotalWaitNamingTheHolderAndChangesNothing() throws Exception {
        RetryPolicy quick = RetryPolicy.defaults().withMaxTotalWait(Duration.ofMillis(1200)).withBackoff(Duration.ofMillis(50), Duration.ofMillis(200));
        Reverso reverso = Reverso.with(ReversoConfig.of(db.url(), dir).withRetry(quick));
        try (Connection report = holdShareLock()) {
            String pid = reportPid;
            assertThatThrownBy(() -> reverso.up(Optional.empty()))
                    .isInstanceOfSatisfying(ReversoException.class, e -> assertThat(e.kind()).isEqualTo(ReversoException.Kind.MIGRATION_FAILED))
                    .hasMessageContaining("gave up after")
                    .hasMessageContaining("ACCESS EXCLUSIVE lock for line 1")
                    .hasMessageContaining("pid " + pid)
                    .hasMessageContaining("application 'monthly-report'")
                    .hasMessageContaining("select count(*) from accounts")
                    .hasMessageMatching("(?s).*, for \\d+\\.\\d s\\).*")
                    .hasMessageContaining("nothing changed");
            report.rollback();
        }
        assertThat(db.value("select count(*) from information_schema.columns where table_name = 'accounts' and column_name = 'note'"))
                .isEqualTo("0");
        assertThat(reverso.status().migrations().get(0).state()).isEqualTo(MigrationStatus.State.PENDING);
    }

    @Test
    void stepByStepMigrationsRetryTheBlockedStepAlone() throws Exception {
        db.execute("drop table if exists ticks; create table ticks (n int)");
        files.write("2_two_steps.up.sql", "-- reverso:no-transaction\ninsert into ticks values (1);\n"
                + "alter table accounts add column flag boolean;");
        files.write("2_two_steps.down.sql", "alter table accounts drop column flag;\ndelete from ticks;");
        List<Event> events = new CopyOnWriteArrayList<>();
        Reverso reverso = Reverso.with(ReversoConfig.of(db.url(), dir).withListener(events::add));
        reverso.up(Optional.of(dev.reverso.source.Version.parse("1")));
        upWhileAReportHoldsTheTable(reverso, 800);

        assertThat(events).anySatisfy(e -> assertThat(e).isInstanceOfSatisfying(Event.LockRetry.class,
                r -> assertThat(r.summary()).startsWith("alter table accounts add column flag")));
        assertThat(db.value("select count(*) from ticks")).as("step 1 ran once, not once per retry").isEqualTo("1");
    }

    @Test
    void aConcurrentIndexBuildWaitsPatientlyForOlderTransactionsAndLeavesNoInvalidIndex() throws Exception {
        files.write("2_index.up.sql", "create index concurrently accounts_balance_idx on accounts (balance);");
        files.write("2_index.down.sql", "drop index concurrently accounts_balance_idx;");
        List<Event> events = new CopyOnWriteArrayList<>();
        Reverso reverso = Reverso.with(ReversoConfig.of(db.url(), dir).withListener(events::add));
        reverso.up(Optional.of(dev.reverso.source.Version.parse("1")));
        upWhileAReportHoldsTheTable(reverso, 800);

        // Its SHARE UPDATE EXCLUSIVE lock never blocks the application, so it is not cut off at
        // 100 ms (which would leave an invalid index and restart the build on every retry).
        assertThat(events).noneMatch(Event.LockRetry.class::isInstance);
        assertThat(db.value("select count(*) from pg_index where indexrelid = 'accounts_balance_idx'::regclass and indisvalid")).isEqualTo("1");
    }

    @Test
    void aConcurrentIndexBuildThatRunsOutOfTimeIsReportedAndRepairDropsTheInvalidIndex() throws Exception {
        files.write("2_index.up.sql", "create index concurrently accounts_balance_idx on accounts (balance);");
        files.write("2_index.down.sql", "drop index concurrently accounts_balance_idx;");
        RetryPolicy quick = RetryPolicy.defaults().withMaxTotalWait(Duration.ofMillis(500));
        Reverso reverso = Reverso.with(ReversoConfig.of(db.url(), dir).withRetry(quick));
        reverso.up(Optional.of(dev.reverso.source.Version.parse("1")));
        Connection report = holdShareLock();
        Future<RunResult> run = pool.submit(() -> reverso.up(Optional.empty()));

        // The report's open transaction keeps the build from finishing, and the invalid index it
        // leaves from being dropped: Reverso says so rather than claim nothing changed.
        assertThatThrownBy(() -> run.get(30, TimeUnit.SECONDS)).hasMessageContaining("gave up after 1 tries")
                .hasMessageContaining("application 'monthly-report'")
                .hasMessageContaining("left invalid index accounts_balance_idx behind")
                .hasMessageContaining("no step done, the database is dirty");
        report.rollback();
        report.close();
        MigrationStatus status = reverso.status().migrations().get(1);
        assertThat(status.state()).isEqualTo(MigrationStatus.State.FAILED);
        assertThat(status.detail()).isEqualTo("failed at step 1 of 1 (line 1)");

        assertThatThrownBy(() -> reverso.repair(RepairResult.Action.MARK_APPLIED))
                .hasMessageContaining("refusing --mark-applied for 2_index: step 1 (line 1) creates index accounts_balance_idx,"
                        + " which is invalid");
        RepairResult repaired = reverso.repair(RepairResult.Action.MARK_ROLLED_BACK);

        assertThat(repaired.outcome()).contains("marked rolled back, after dropping the invalid index left by step 1");
        assertThat(db.value("select count(*) from pg_class where relname = 'accounts_balance_idx'")).isEqualTo("0");
        reverso.up(Optional.empty());
        assertThat(db.value("select count(*) from pg_index where indexrelid = 'accounts_balance_idx'::regclass and indisvalid")).isEqualTo("1");
    }

    /** Runs up while a report holds ACCESS SHARE on accounts for the given time, then lets go. */
    private void upWhileAReportHoldsTheTable(Reverso reverso, long millis) throws Exception {
        Connection report = holdShareLock();
        Future<RunResult> run = pool.submit(() -> reverso.up(Optional.empty()));
        Thread.sleep(millis);
        report.rollback();
        report.close();
        run.get(30, TimeUnit.SECONDS);
    }

    private static String pidOf(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); var rs = st.executeQuery("select pg_backend_pid()")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
