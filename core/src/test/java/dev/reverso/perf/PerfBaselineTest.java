package dev.reverso.perf;

import dev.reverso.Database;
import dev.reverso.DatabaseUrl;
import dev.reverso.Event;
import dev.reverso.Reverso;
import dev.reverso.ReversoConfig;
import dev.reverso.ReversoException;
import dev.reverso.source.Version;
import dev.reverso.testing.MigrationsDir;
import dev.reverso.testing.PreloadedServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The performance baseline against a real pg_stat_statements: a server of the test's own with the
 * library preloaded (the shared test server has not), one database per test.
 */
class PerfBaselineTest {

    static PreloadedServer server;

    @TempDir
    Path dir;
    MigrationsDir files;
    DatabaseUrl url;
    List<Event> events;
    Reverso reverso;

    @BeforeAll
    static void startServer() {
        server = PreloadedServer.start();
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void database() {
        String name = "perf_" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
        server.execute("create database " + name);
        url = server.url().withDatabase(name);
        execute("create extension pg_stat_statements");
        files = new MigrationsDir(dir);
        events = new ArrayList<>();
        reverso = Reverso.with(ReversoConfig.of(url, dir).withListener(events::add));
        // 200,000 orders of 2,000 customers: a lookup by customer reads 100 rows by the index, or all of them without it.
        files.pair("0001_orders", "create table orders (id bigint primary key, customer int not null, note text);"
                + " insert into orders select g, g % 2000, 'order ' || g from generate_series(1, 200000) g;"
                + " create index orders_customer on orders (customer); analyze orders;", "drop table orders;");
    }

    @Test
    void aDroppedIndexMakesTheLookupSlowerAndVerifyPerfFlagsItWithBothMeans() throws SQLException {
        applyBetweenLookups(200, "drop index orders_customer;", "", 60);

        assertThat(value("select version || ' ' || command || ' ' || statements_tracked from reverso.perf_baselines"
                + " order by id desc limit 1")).isEqualTo("2 up true");
        PerfReport report = reverso.verifyPerf(Optional.of(Version.parse("0002")), PerfSettings.defaults());

        assertThat(report.version()).isEqualTo("2");
        assertThat(report.statementsNote()).isNull();
        PerfReport.StatementChange lookup = report.slower().stream()
                .filter(s -> s.query().contains("from orders where customer = $1")).findFirst().orElseThrow();
        System.out.printf("slowdown test: lookup mean before %.3f ms over %d calls, since %.3f ms over %d calls, %+.0f %%%n",
                lookup.meanBeforeMs(), lookup.callsBefore(), lookup.meanSinceMs(), lookup.callsSince(), lookup.changePercent());
        assertThat(lookup.callsBefore()).isEqualTo(200);
        assertThat(lookup.callsSince()).isEqualTo(60);
        assertThat(lookup.meanSinceMs()).isGreaterThan(lookup.meanBeforeMs() * 1.25);
        assertThat(report.flagged()).isTrue();

        // With a threshold above the slowdown it passes; and more calls than ran since: not compared at all.
        double beyond = lookup.changePercent() + 1;
        assertThat(reverso.verifyPerf(Optional.empty(), new PerfSettings(beyond, 20)).slower())
                .noneMatch(s -> s.queryId() == lookup.queryId());
        assertThat(reverso.verifyPerf(Optional.empty(), new PerfSettings(25, 61)).statements())
                .noneMatch(s -> s.queryId() == lookup.queryId());
    }

    @Test
    void anIndexTheMigrationCreatedThatNoQueryUsedIsFlaggedUntilOneDoes() throws SQLException {
        reverso.up(Optional.empty());
        files.pair("0002_note_index", "create index orders_note on orders (note); create unique index orders_id_note on orders (id, note);",
                "drop index orders_note, orders_id_note;");
        reverso.up(Optional.empty());

        PerfReport report = reverso.verifyPerf(Optional.empty(), PerfSettings.defaults());
        assertThat(report.unusedIndexes()).singleElement().extracting(PerfReport.UnusedIndex::name, PerfReport.UnusedIndex::createdBy)
                .containsExactly("orders_note", "2");
        assertThat(report.flagged()).isTrue();

        withSession(st -> {
            st.execute("select count(*) from orders where note = 'order 7'");
            st.execute("select pg_stat_force_next_flush()");
        });
        assertThat(reverso.verifyPerf(Optional.empty(), PerfSettings.defaults()).unusedIndexes()).isEmpty();
    }

    @Test
    void aMigrationRewritingEveryRowShowsTheTableGrownAndBloated() throws SQLException {
        reverso.up(Optional.empty());
        files.pair("0002_rewrite_notes", "update orders set note = note || ' (migrated)';", null);
        reverso.up(Optional.empty());
        awaitDeadTuples();

        PerfReport report = reverso.verifyPerf(Optional.empty(), PerfSettings.defaults());
        PerfReport.SizeChange orders = report.bloated().stream().filter(s -> s.name().equals("orders")).findFirst().orElseThrow();
        assertThat(orders.deadRatioBefore()).isZero();
        assertThat(orders.deadRatioNow()).isBetween(0.45, 0.55);
        assertThat(orders.growthPercent()).isGreaterThan(50);
        assertThat(report.relations()).anyMatch(s -> s.kind().equals("index") && s.name().equals("orders_customer")
                && s.bytesNow() > s.bytesBefore());
        assertThat(report.flagged()).isTrue();
    }

    @Test
    void aResetAfterTheBaselineMakesItUnusableForStatements() throws SQLException {
        applyBetweenLookups(30, "create table t (id int);", "select pg_stat_statements_reset()", 30);

        PerfReport report = reverso.verifyPerf(Optional.empty(), PerfSettings.defaults());
        assertThat(report.statementsNote()).contains("reset").contains("the baseline is unusable");
        assertThat(report.statements()).isEmpty();
    }

    @Test
    void aBaselineThatCannotBeRecordedIsAWarningAndTheRunGoesOn() {
        reverso.up(Optional.empty());
        execute("drop table reverso.perf_statements");
        files.pair("0002_t", "create table t (id int);", "drop table t;");

        assertThat(reverso.up(Optional.empty()).migrations()).hasSize(1);
        assertThat(events).filteredOn(e -> e instanceof Event.Warning).map(e -> ((Event.Warning) e).message())
                .anyMatch(m -> m.startsWith("no performance baseline recorded before up of 2"));
        assertThat(value("select count(*) from reverso.perf_baselines where version = '2'")).isEqualTo("0");
    }

    @Test
    void aBaselineOfNoStatementsComparesSizesOnlyAndSaysWhy() {
        reverso.up(Optional.empty(), new dev.reverso.RunChecks(false, false, 0));

        PerfReport report = reverso.verifyPerf(Optional.empty(), PerfSettings.defaults());
        assertThat(report.statementsNote()).contains("has no statements").contains("--baseline-statements was 0");
        assertThat(value("select count(*) from reverso.perf_statements")).isEqualTo("0");
        assertThat(report.unusedIndexes()).extracting(PerfReport.UnusedIndex::name).containsExactly("orders_customer");
    }

    @Test
    void sinceAVersionNeverAppliedIsBadInput() {
        reverso.up(Optional.empty());
        assertThatThrownBy(() -> reverso.verifyPerf(Optional.of(Version.parse("0009")), PerfSettings.defaults()))
                .isInstanceOf(ReversoException.class).hasMessage("--since 9: no migration with that version was applied");
    }

    /**
     * Applies 0001, looks customers up {@code before} times, applies {@code up} as 0002 (the
     * baseline is taken before it), runs {@code then} (when not empty), and looks up {@code after} times.
     */
    private void applyBetweenLookups(int before, String up, String then, int after) throws SQLException {
        reverso.up(Optional.empty());
        lookUpCustomers(before);
        files.pair("0002_change", up, null);
        reverso.up(Optional.empty());
        if (!then.isEmpty()) {
            execute(then);
        }
        lookUpCustomers(after);
    }

    /** Runs the lookup by customer {@code times} times, each for another customer, as one application session. */
    private void lookUpCustomers(int times) throws SQLException {
        try (Connection c = new Database(url, "app").connect();
             PreparedStatement ps = c.prepareStatement("select count(*) from orders where customer = ?")) {
            for (int i = 0; i < times; i++) {
                ps.setInt(1, i % 2000);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                }
            }
        }
    }

    /** The migration's dead tuples reach the statistics when its session reports them; wait for that. */
    private void awaitDeadTuples() {
        long until = System.nanoTime() + 15_000_000_000L;
        while (System.nanoTime() < until && Long.parseLong(value("select n_dead_tup from pg_stat_user_tables where relname = 'orders'")) == 0) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @FunctionalInterface
    private interface Work {
        void run(Statement st) throws SQLException;
    }

    private void withSession(Work work) throws SQLException {
        try (Connection c = new Database(url, "app").connect(); Statement st = c.createStatement()) {
            work.run(st);
        }
    }

    private void execute(String sql) {
        try {
            withSession(st -> st.execute(sql));
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }

    private String value(String sql) {
        try (Connection c = new Database(url, "reverso-test").connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
