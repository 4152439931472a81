package dev.reverso.monitor;

import dev.reverso.Event;
import dev.reverso.Reverso;
import dev.reverso.ReversoConfig;
import dev.reverso.ReversoException;
import dev.reverso.RunResult;
import dev.reverso.MigrationStatus;
import dev.reverso.engine.RetryPolicy;
import dev.reverso.history.AuditEntry;
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
import java.sql.ResultSet;
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

/** The live monitor in real situations: sessions holding and waiting for locks, slow migrations, index builds. */
class MonitorTest {

    static ScratchDatabase db;

    @TempDir
    Path dir;
    MigrationsDir files;
    final ExecutorService pool = Executors.newCachedThreadPool();
    final List<Event> events = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void createDatabase() {
        db = ScratchDatabase.create(MonitorTest.class);
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
    }

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    /** Samples four times a second, so the tests wait less; the thresholds as given. */
    private Reverso reverso(MonitorSettings monitor) {
        return Reverso.with(ReversoConfig.of(db.url(), dir).withListener(events::add)
                .withMonitor(monitor.withInterval(Duration.ofMillis(250))));
    }

    private List<Sample> samples() {
        return events.stream().filter(Event.MonitorSample.class::isInstance).map(e -> ((Event.MonitorSample) e).sample()).toList();
    }

    private List<ThresholdAction> actions() {
        return events.stream().filter(Event.ThresholdReached.class::isInstance).map(e -> ((Event.ThresholdReached) e).action()).toList();
    }

    private static int pid(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static Connection session(String application) throws SQLException {
        Connection c = db.connect();
        try (Statement st = c.createStatement()) {
            st.execute("set application_name = '" + application + "'");
        }
        return c;
    }

    /** Waits until Reverso's migration session holds (granted) a lock of that mode on accounts. */
    private static void awaitMigrationLock(String mode) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            if (!db.column("select 1 from pg_locks l join pg_stat_activity a on a.pid = l.pid where a.application_name = 'reverso'"
                    + " and l.relation = 'accounts'::regclass and l.mode = '" + mode + "' and l.granted").isEmpty()) {
                return;
            }
            Thread.sleep(25);
        }
        throw new AssertionError("the migration never took " + mode + " on accounts");
    }

    @Test
    void reportsWhoTheMigrationWaitsOn() throws Exception {
        files.pair("1_add_note", "alter table accounts add column note text;", null);
        // One long lock wait instead of short retries, so the samples see the migration waiting.
        RetryPolicy patient = RetryPolicy.defaults().withInitialLockTimeout(Duration.ofSeconds(10))
                .withMaxLockTimeout(Duration.ofSeconds(10)).withMaxTotalWait(Duration.ofSeconds(20));
        Reverso reverso = Reverso.with(ReversoConfig.of(db.url(), dir).withListener(events::add).withRetry(patient)
                .withMonitor(MonitorSettings.defaults().withInterval(Duration.ofMillis(250))));
        int holder;
        try (Connection report = session("monthly-report")) {
            holder = pid(report);
            report.setAutoCommit(false);
            try (Statement st = report.createStatement()) {
                st.execute("select count(*) from accounts");
            }
            Future<RunResult> run = pool.submit(() -> reverso.up(Optional.empty()));
            Thread.sleep(1500);
            report.rollback();
            assertThat(run.get(30, TimeUnit.SECONDS).migrations()).hasSize(1);
        }

        assertThat(samples()).anySatisfy(s -> {
            assertThat(s.migration().waitEvent()).startsWith("Lock:");
            assertThat(s.migration().query()).contains("alter table accounts add column note");
            assertThat(s.waitsOn()).singleElement().satisfies(h -> {
                assertThat(h.pid()).isEqualTo(holder);
                assertThat(h.applicationName()).isEqualTo("monthly-report");
                assertThat(h.state()).isEqualTo("idle in transaction");
                assertThat(h.query()).isEqualTo("select count(*) from accounts");
            });
        });
        // Noted once in the audit log, not once per sample.
        assertThat(reverso.history(50)).filteredOn(e -> e.action().equals("monitor"))
                .singleElement().satisfies(e -> {
                    assertThat(e.outcome()).isEqualTo("waiting");
                    assertThat(e.version()).isEqualTo("1");
                    assertThat(e.detail()).contains("pid " + holder).contains("monthly-report").contains("select count(*) from accounts");
                });
    }

    @Test
    void maxBlockingCancelsTheMigrationThatAnApplicationQueuesBehindAndRollsItBack() throws Exception {
        files.pair("1_add_note", "alter table accounts add column note text;\nselect pg_sleep(20);", null);
        Reverso reverso = reverso(MonitorSettings.defaults().withMaxBlocking(Duration.ofSeconds(1)));
        Future<RunResult> run = pool.submit(() -> reverso.up(Optional.empty()));
        awaitMigrationLock("AccessExclusiveLock");
        int app;
        Future<String> read;
        try (Connection shop = session("shop")) {
            app = pid(shop);
            read = pool.submit(() -> {
                try (Statement st = shop.createStatement(); ResultSet rs = st.executeQuery("select count(*) from accounts")) {
                    rs.next();
                    return rs.getString(1);
                }
            });
            assertThatThrownBy(() -> {
                try {
                    run.get(30, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    throw e.getCause();
                }
            }).isInstanceOfSatisfying(ReversoException.class, e -> {
                assertThat(e.kind()).isEqualTo(ReversoException.Kind.MIGRATION_FAILED);
                assertThat(e.getMessage()).startsWith("cancelled: pid " + app + " (application 'shop', user postgres) waited 1.")
                        .contains(" s on select pg_sleep(20) (--max-blocking 1.0 s)")
                        .contains("rolled back, nothing changed");
            });
            // The application's query went through once the migration let go.
            assertThat(read.get(10, TimeUnit.SECONDS)).isEqualTo("1000");
        }

        // Not retried, nothing half-done: no column, nothing applied.
        assertThat(db.column("select column_name from information_schema.columns where table_name = 'accounts'"))
                .containsExactlyInAnyOrder("id", "balance");
        assertThat(reverso.status().migrations()).singleElement()
                .satisfies(m -> assertThat(m.state()).isEqualTo(MigrationStatus.State.PENDING));
        assertThat(actions()).singleElement().isInstanceOfSatisfying(ThresholdAction.Cancelled.class, c -> {
            assertThat(c.waiter().pid()).isEqualTo(app);
            assertThat(c.waiter().waited()).isGreaterThan(Duration.ofSeconds(1));
        });
        List<AuditEntry> audit = reverso.history(50);
        assertThat(audit).filteredOn(e -> e.action().equals("monitor") && e.outcome().equals("cancelled")).singleElement()
                .satisfies(e -> assertThat(e.detail()).contains("pid " + app).contains("--max-blocking 1.0 s"));
        assertThat(audit).filteredOn(e -> e.action().equals("monitor") && e.outcome().equals("blocking")).singleElement()
                .satisfies(e -> assertThat(e.detail()).contains("pid " + app).contains("shop"));
        assertThat(audit).noneSatisfy(e -> assertThat(e.outcome()).isEqualTo("applied"));
    }

    @Test
    void maxDurationAbortsASlowMigrationAndRollsItBack() {
        files.pair("1_slow", "create table ledger (id int);\nselect pg_sleep(20);", null);
        Reverso reverso = reverso(MonitorSettings.defaults().withMaxDuration(Duration.ofSeconds(1)));

        assertThatThrownBy(() -> reverso.up(Optional.empty())).isInstanceOfSatisfying(ReversoException.class, e -> {
            assertThat(e.kind()).isEqualTo(ReversoException.Kind.MIGRATION_FAILED);
            assertThat(e.getMessage()).startsWith("aborted: the run took 1.").contains("over --max-duration 1.0 s")
                    .contains("cancelled select pg_sleep(20)").contains("rolled back, nothing changed");
        });

        assertThat(db.tableExists("ledger")).isFalse();
        assertThat(reverso.status().migrations()).singleElement()
                .satisfies(m -> assertThat(m.state()).isEqualTo(MigrationStatus.State.PENDING));
        assertThat(reverso.history(50)).filteredOn(e -> e.action().equals("monitor")).singleElement()
                .satisfies(e -> assertThat(e.outcome()).isEqualTo("aborted"));
    }

    @Test
    void showsTheProgressOfAnIndexBuildAndWhatItWaitsFor() throws Exception {
        files.pair("1_index", "create index concurrently accounts_balance_idx on accounts (balance);", null);
        Reverso reverso = reverso(MonitorSettings.defaults());
        int writer;
        try (Connection app = session("writer")) {
            writer = pid(app);
            app.setAutoCommit(false);
            try (Statement st = app.createStatement()) {
                st.execute("update accounts set balance = 1 where id = 1");
            }
            Future<RunResult> run = pool.submit(() -> reverso.up(Optional.empty()));
            Thread.sleep(1200);
            app.commit();
            run.get(30, TimeUnit.SECONDS);
        }

        // A concurrent build waits for the open writer before it builds; the progress view says so.
        assertThat(samples()).anySatisfy(s -> {
            assertThat(s.indexBuild()).isNotNull();
            assertThat(s.indexBuild().index()).isEqualTo("accounts_balance_idx");
            assertThat(s.indexBuild().table()).isEqualTo("accounts");
            assertThat(s.indexBuild().phase()).isEqualTo("waiting for writers before build");
            assertThat(s.waitsOn()).extracting(h -> h.pid()).containsExactly(writer);
        });
    }

    @Test
    void stopsWithTheRunAndLeavesNoSessionOrThreadBehind() throws Exception {
        files.pair("1_add_note", "alter table accounts add column note text;", null);
        reverso(MonitorSettings.defaults()).up(Optional.empty());

        assertThat(db.column("select pid from pg_stat_activity where application_name = 'reverso-monitor'"
                + " and datname = current_database()")).isEmpty();
        assertThat(Thread.getAllStackTraces().keySet()).noneSatisfy(t -> assertThat(t.getName()).startsWith("reverso-monitor"));
        assertThat(samples()).isNotEmpty();
    }

    @Test
    void readsWalPositionsAsNumbersInTheirOrder() {
        assertThat(Sampler.lsn("0/16B3748")).isEqualTo(0x16B3748L);
        assertThat(Sampler.lsn("16/B374D848")).isEqualTo((0x16L << 32) | 0xB374D848L);
        assertThat(Sampler.lsn("1/0")).isGreaterThan(Sampler.lsn("0/FFFFFFFF"));
    }
}
