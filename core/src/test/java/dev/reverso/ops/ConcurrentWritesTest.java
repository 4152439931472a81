package dev.reverso.ops;

import dev.reverso.Reverso;
import dev.reverso.ReversoConfig;
import dev.reverso.testing.MigrationsDir;
import dev.reverso.testing.ScratchDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real writers, through the old and the new version, while start (with its backfill), complete and
 * rollback run: no write fails, none is lost, and both representations agree in every row.
 */
class ConcurrentWritesTest {

    static final int ROWS = 20_000;
    static ScratchDatabase db;

    @TempDir
    Path dir;
    Reverso reverso;
    final AtomicBoolean stopOld = new AtomicBoolean();
    final AtomicBoolean stopNew = new AtomicBoolean();
    final AtomicLong increments = new AtomicLong();
    final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    final List<Thread> writers = new ArrayList<>();

    @BeforeAll
    static void createDatabase() {
        db = ScratchDatabase.create(ConcurrentWritesTest.class);
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    @BeforeEach
    void reset() {
        db.resetSchemas();
        db.execute("create table public.accounts (id bigint primary key, balance bigint not null, note text);"
                + " insert into public.accounts select g, 0, 'n' || g from generate_series(1, " + ROWS + ") g;");
        new MigrationsDir(dir).write("0002_cents.json", """
                {"operations": [
                  {"add_column": {"table": "accounts", "up": "balance * 100",
                    "column": {"name": "balance_cents", "type": "bigint", "nullable": false}}},
                  {"alter_column": {"table": "accounts", "column": "note", "type": "varchar(200)",
                    "up": "upper(note)", "down": "lower(note)"}}
                ]}""");
        reverso = Reverso.with(ReversoConfig.of(db.url(), dir).withBackfill(new BackfillSettings(500, Duration.ofMillis(5))));
    }

    @Test
    void writersThroughBothVersionsLoseNothingAcrossStartAndComplete() throws Exception {
        startOldWriters(2);
        reverso.start("2");
        startNewWriters(2, "public_0002_cents");
        Thread.sleep(700);
        // While both versions are live, every row agrees in both representations.
        assertThat(db.value("select count(*) from public.accounts where _reverso_new_balance_cents <> balance * 100"
                + " or _reverso_new_note is distinct from upper(note)")).isEqualTo("0");
        // The old version is retired (its writers stop) and complete runs under the new version's writes.
        stopOld.set(true);
        join(writers.subList(0, 2));
        reverso.complete();
        Thread.sleep(300);
        stopAll();

        assertThat(failures).isEmpty();
        assertThat(increments.get()).isGreaterThan(100);
        assertThat(db.value("select sum(balance) from public.accounts")).isEqualTo(Long.toString(increments.get()));
        assertThat(db.value("select count(*) from public.accounts where balance_cents <> balance * 100")).isEqualTo("0");
        assertThat(db.value("select count(*) from public.accounts where note is null")).isEqualTo("0");
        assertThat(db.value("select format_type(atttypid, atttypmod) from pg_attribute where attrelid = 'public.accounts'::regclass"
                + " and attname = 'note'")).isEqualTo("character varying(200)");
    }

    @Test
    void rollbackUnderOldVersionWritesLeavesItIntact() throws Exception {
        startOldWriters(3);
        reverso.start("2");
        startNewWriters(1, "public_0002_cents");
        Thread.sleep(400);
        stopNew.set(true);
        join(writers.subList(3, writers.size()));
        reverso.rollback();
        Thread.sleep(300);
        stopAll();

        assertThat(failures).isEmpty();
        assertThat(db.value("select sum(balance) from public.accounts")).isEqualTo(Long.toString(increments.get()));
        assertThat(db.column("select column_name from information_schema.columns where table_schema = 'public'"
                + " and table_name = 'accounts' order by ordinal_position")).containsExactly("id", "balance", "note");
        // Notes written through the new version reached the old column through down (lower of the upper-cased value).
        assertThat(db.value("select count(*) from public.accounts where note is null or note <> lower(note)")).isEqualTo("0");
    }

    private void startOldWriters(int n) {
        for (int i = 0; i < n; i++) {
            writers.add(writer("public", stopOld, false));
        }
    }

    private void startNewWriters(int n, String schema) {
        for (int i = 0; i < n; i++) {
            writers.add(writer(schema, stopNew, true));
        }
    }

    private Thread writer(String schema, AtomicBoolean stop, boolean newVersion) {
        Thread t = new Thread(() -> {
            try (Connection c = db.connect()) {
                try (Statement st = c.createStatement()) {
                    st.execute("set search_path = " + schema);
                }
                String sql = newVersion
                        ? "update accounts set balance = balance + 1, balance_cents = balance_cents + 100, note = ? where id = ?"
                        : "update accounts set balance = balance + 1, note = ? where id = ?";
                String untouched = "update accounts set id = id where id = ?";
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                    while (!stop.get()) {
                        long id = ThreadLocalRandom.current().nextLong(1, ROWS + 1);
                        ps.setString(1, newVersion ? "NEW" + id : "old" + id);
                        ps.setLong(2, id);
                        try {
                            if (ps.executeUpdate() == 1) {
                                increments.incrementAndGet();
                            }
                            if (!newVersion) {
                                // An update of a column no up/down reads, on a row the backfill may not have reached.
                                try (PreparedStatement other = c.prepareStatement(untouched)) {
                                    other.setLong(1, ThreadLocalRandom.current().nextLong(1, ROWS + 1));
                                    other.executeUpdate();
                                }
                            }
                        } catch (java.sql.SQLException e) {
                            failures.add(schema + ": " + e.getMessage());
                        }
                    }
                }
            } catch (Exception e) {
                failures.add(schema + ": " + e);
            }
        });
        t.start();
        return t;
    }

    private void stopAll() throws InterruptedException {
        stopOld.set(true);
        stopNew.set(true);
        join(writers);
    }

    private static void join(List<Thread> threads) throws InterruptedException {
        for (Thread t : threads) {
            t.join(10_000);
        }
    }
}
