package dev.reverso.monitor;

import dev.reverso.Database;
import dev.reverso.Event;
import dev.reverso.PreflightReport;
import dev.reverso.Reverso;
import dev.reverso.ReversoConfig;
import dev.reverso.ops.BackfillSettings;
import dev.reverso.ops.ExpandContract;
import dev.reverso.testing.MigrationsDir;
import dev.reverso.testing.StreamingReplica;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** Replication lag against a real streaming replica the test starts: the monitor sees it, a backfill waits for it, preflight reports it. */
class ReplicationLagTest {

    static StreamingReplica cluster;

    @TempDir
    Path dir;
    final List<Event> events = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startReplica() {
        cluster = StreamingReplica.start();
    }

    @AfterAll
    static void stopReplica() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static String value(String sql) throws SQLException {
        try (Connection c = new Database(cluster.primary(), "reverso-test").connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private List<ThresholdAction> actions() {
        return events.stream().filter(Event.ThresholdReached.class::isInstance).map(e -> ((Event.ThresholdReached) e).action()).toList();
    }

    private long backfilled() {
        return events.stream().filter(Event.BackfillProgress.class::isInstance).mapToLong(e -> ((Event.BackfillProgress) e).rows())
                .max().orElse(0);
    }

    @Test
    void aBackfillPausesWhileTheReplicaLagsAndResumesWhenItCatchesUp() throws Exception {
        cluster.onPrimary("drop table if exists users; drop schema if exists reverso cascade;"
                + " create table users (id bigint primary key, email text not null);"
                + " insert into users select g, 'user' || g || '@example.com' from generate_series(1, 20000) g");
        new MigrationsDir(dir).write("0001_display_name.json", """
                {"operations": [{"add_column": {"table": "users", "up": "upper(email)",
                  "column": {"name": "display_name", "type": "text", "nullable": true}}}]}
                """);
        Reverso reverso = Reverso.with(ReversoConfig.of(cluster.primary(), dir).withListener(events::add)
                .withBackfill(new BackfillSettings(500, Duration.ofMillis(50)))
                .withMonitor(MonitorSettings.defaults().withInterval(Duration.ofMillis(250))
                        .withMaxReplicationLag(Duration.ofSeconds(1))));
        cluster.pauseReplay();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<ExpandContract.Started> run = pool.submit(() -> reverso.start("1"));
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (actions().isEmpty() && System.nanoTime() < until) {
                Thread.sleep(50);
            }
            assertThat(actions()).singleElement().isInstanceOfSatisfying(ThresholdAction.Paused.class, p -> {
                assertThat(p.replica()).isEqualTo(StreamingReplica.NAME);
                assertThat(p.lag()).isGreaterThan(Duration.ofSeconds(1));
                assertThat(p.before()).isEqualTo("the next backfill batch of public.users");
            });
            long atPause = backfilled();
            assertThat(atPause).isBetween(1L, 19_999L);
            Thread.sleep(1500);
            // Paused: not one more batch while the replica stays behind.
            assertThat(backfilled()).isEqualTo(atPause);
            assertThat(run.isDone()).isFalse();

            cluster.resumeReplay();
            run.get(60, TimeUnit.SECONDS);
        } finally {
            cluster.resumeReplay();
            pool.shutdownNow();
        }

        assertThat(actions()).hasSize(2);
        assertThat(actions().get(1)).isInstanceOfSatisfying(ThresholdAction.Resumed.class,
                r -> assertThat(r.pausedFor()).isGreaterThan(Duration.ofMillis(1500)));
        assertThat(value("select count(*) from public_0001_display_name.users where display_name is distinct from upper(email)")).isEqualTo("0");
        assertThat(reverso.history(50)).filteredOn(e -> e.action().equals("monitor")).extracting(e -> e.outcome())
                .contains("paused", "resumed", "replica lag");
        assertThat(events).filteredOn(Event.MonitorSample.class::isInstance)
                .anySatisfy(e -> assertThat(((Event.MonitorSample) e).sample().backfill()).isNotNull());
        reverso.rollback();
    }

    @Test
    void aPlainMigrationWaitsForTheReplicaBeforeItStarts() throws Exception {
        cluster.onPrimary("drop table if exists first_table, second_table; drop schema if exists reverso cascade");
        // The first migration writes WAL, then takes 2 s: by its end the paused replica is 2 s behind.
        new MigrationsDir(dir).pair("1_first", "create table first_table (x int);\n"
                        + "insert into first_table select generate_series(1, 1000);\nselect pg_sleep(2);", null)
                .pair("2_second", "create table second_table (x int);", null);
        Reverso reverso = Reverso.with(ReversoConfig.of(cluster.primary(), dir).withListener(events::add)
                .withMonitor(MonitorSettings.defaults().withInterval(Duration.ofMillis(250))
                        .withMaxReplicationLag(Duration.ofSeconds(1))));
        cluster.pauseReplay();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<?> run = pool.submit(() -> reverso.up(Optional.empty()));
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (actions().isEmpty() && System.nanoTime() < until) {
                Thread.sleep(50);
            }
            assertThat(actions()).singleElement().isInstanceOfSatisfying(ThresholdAction.Paused.class,
                    p -> assertThat(p.before()).isEqualTo("2_second"));
            Thread.sleep(500);
            assertThat(value("select to_regclass('second_table') is null")).isEqualTo("t");
            cluster.resumeReplay();
            run.get(60, TimeUnit.SECONDS);
        } finally {
            cluster.resumeReplay();
            pool.shutdownNow();
        }
        assertThat(actions()).hasSize(2).last().isInstanceOf(ThresholdAction.Resumed.class);
        assertThat(value("select to_regclass('second_table') is not null")).isEqualTo("t");
    }

    @Test
    void preflightReportsTheReplicasLag() throws Exception {
        // The replica applies each commit 2 s late; a writer keeps committing, so it stays 2 s behind.
        cluster.onReplica("alter system set recovery_min_apply_delay = '2s'; select pg_reload_conf()");
        AtomicBoolean stop = new AtomicBoolean();
        Thread writer = new Thread(() -> {
            try (Connection c = new Database(cluster.primary(), "writer").connect(); Statement st = c.createStatement()) {
                st.execute("create table if not exists ticks (at timestamptz)");
                while (!stop.get()) {
                    st.execute("insert into ticks values (now())");
                    Thread.sleep(100);
                }
            } catch (SQLException | InterruptedException e) {
                stop.set(true);
            }
        });
        writer.start();
        try {
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < until && Double.parseDouble(value("select coalesce(max(extract(epoch from replay_lag)), 0)"
                    + " from pg_stat_replication")) < 1.9) {
                Thread.sleep(100);
            }
            PreflightReport report = Reverso.with(ReversoConfig.of(cluster.primary(), new MigrationsDir(dir).path()))
                    .preflight(Optional.empty());

            assertThat(report.items()).filteredOn(i -> i.check().equals("replication")).singleElement().satisfies(i -> {
                assertThat(i.status()).isEqualTo(PreflightReport.Status.PASS);
                assertThat(i.detail()).matches("replica '" + StreamingReplica.NAME + "' streaming, replay lag (1\\.9|2\\.\\d) s, .* of WAL not replayed");
            });
        } finally {
            stop.set(true);
            writer.join();
            cluster.onReplica("alter system reset recovery_min_apply_delay; select pg_reload_conf()");
        }
    }
}
