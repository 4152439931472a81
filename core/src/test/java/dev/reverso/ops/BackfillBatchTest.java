package dev.reverso.ops;

import dev.reverso.Event;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The backfill walks the key in its own order: each row once, batches cut where the key says. */
class BackfillBatchTest {

    static ScratchDatabase db;

    @TempDir
    Path dir;

    @BeforeAll
    static void createDatabase() {
        db = ScratchDatabase.create(BackfillBatchTest.class);
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    @BeforeEach
    void reset() {
        db.execute("drop schema if exists reverso cascade; drop schema public cascade; create schema public;"
                + " do $$ declare s text; begin for s in select nspname from pg_namespace where nspname like 'public\\_%' loop"
                + " execute format('drop schema %I cascade', s); end loop; end $$;");
    }

    @Test
    void keysCrossingADigitBoundaryAreEachFilledOnce() {
        // 1..2500 in batches of 700: the batch 701..1400 holds 999 and 1000, which sort the other
        // way round as text.
        db.execute("create table public.items (id bigint primary key, n int not null);"
                + " insert into public.items select g, g from generate_series(1, 2500) g");
        new MigrationsDir(dir).write("0001_add_double.json", """
                {"operations": [{"add_column": {"table": "items", "up": "n * 2",
                  "column": {"name": "double_n", "type": "int", "nullable": false}}}]}""");
        List<Long> progress = new ArrayList<>();
        Reverso reverso = recordingProgress(700, progress);

        reverso.start("1");

        assertThat(progress).containsExactly(700L, 1400L, 2100L, 2500L);
        assertThat(db.value("select count(*) from public.items where _reverso_new_double_n = n * 2")).isEqualTo("2500");
    }

    @Test
    void aCompositeKeyIsWalkedInItsIndexOrder() {
        db.execute("create table public.cells (a int, b int, n int not null, primary key (a, b));"
                + " insert into public.cells select g / 100, g % 100, g from generate_series(0, 2499) g");
        new MigrationsDir(dir).write("0001_add_double.json", """
                {"operations": [{"add_column": {"table": "cells", "up": "n * 2",
                  "column": {"name": "double_n", "type": "int", "nullable": false}}}]}""");
        List<Long> progress = new ArrayList<>();
        Reverso reverso = recordingProgress(700, progress);

        reverso.start("1");

        assertThat(progress).containsExactly(700L, 1400L, 2100L, 2500L);
        assertThat(db.value("select count(*) from public.cells where _reverso_new_double_n = n * 2")).isEqualTo("2500");
    }

    /** bigint keys go by arithmetic ranges, text keys by walking the next keys: both must survive it. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"bigint", "text"})
    void aRowDeletedUnderABatchDoesNotEndTheBackfill(String keyType) throws Exception {
        db.execute("create table public.items (id " + keyType + " primary key, n int not null);"
                + " insert into public.items select g::" + keyType + ", g from generate_series(1, 2500) g");
        new MigrationsDir(dir).write("0001_add_double.json", """
                {"operations": [{"add_column": {"table": "items", "up": "n * 2",
                  "column": {"name": "double_n", "type": "int", "nullable": true}}}]}""");
        try (java.sql.Connection deleter = db.connect(); java.sql.Statement st = deleter.createStatement()) {
            deleter.setAutoCommit(false);
            // Just before the backfill, a row of the first batch is deleted, not yet committed.
            Reverso reverso = Reverso.with(ReversoConfig.of(db.url(), dir).withBackfill(new BackfillSettings(700, Duration.ZERO))
                    .withRetry(dev.reverso.engine.RetryPolicy.defaults().withInitialLockTimeout(Duration.ofSeconds(20)))
                    .withListener(e -> {
                        if (e instanceof Event.PhaseStep p && p.what().startsWith("backfill")) {
                            try {
                                st.execute("delete from public.items where id = '300'");
                            } catch (java.sql.SQLException x) {
                                throw new IllegalStateException(x);
                            }
                        }
                    }));
            Thread start = new Thread(() -> reverso.start("1"));
            start.start();
            // The first batch waits for the deleted row's lock; the delete commits under it.
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (!db.value("select count(*) from pg_stat_activity where wait_event_type = 'Lock'"
                    + " and query like 'WITH reverso\\_%'").equals("1")) {
                assertThat(System.nanoTime()).isLessThan(deadline);
                Thread.sleep(10);
            }
            deleter.commit();
            start.join(20_000);
        }

        assertThat(db.value("select count(*) from public.items where _reverso_new_double_n is distinct from n * 2")).isEqualTo("0");
        assertThat(db.value("select count(*) from public.items")).isEqualTo("2499");
    }

    @Test
    void sparseIntegerKeysWidenTheRangeAndEveryRowIsFilled() {
        db.execute("create table public.items (id bigint primary key, n int not null);"
                + " insert into public.items select g * 100000, g from generate_series(1, 2500) g;"
                + " insert into public.items select g, g from generate_series(1, 50) g");
        new MigrationsDir(dir).write("0001_add_double.json", """
                {"operations": [{"add_column": {"table": "items", "up": "n * 2",
                  "column": {"name": "double_n", "type": "int", "nullable": false}}}]}""");
        List<Long> progress = new ArrayList<>();
        Reverso reverso = recordingProgress(100, progress);

        reverso.start("1");

        assertThat(progress.get(progress.size() - 1)).isEqualTo(2550L);
        // 250,000,000 keys wide in batches of about 100 rows: the range has to widen, or this takes millions of batches.
        assertThat(progress.size()).isLessThan(200);
        assertThat(db.value("select count(*) from public.items where _reverso_new_double_n is distinct from n * 2")).isEqualTo("0");
    }

    /** A Reverso with this batch size that adds each backfill batch's running row count to {@code progress}. */
    private Reverso recordingProgress(int batchSize, List<Long> progress) {
        return Reverso.with(ReversoConfig.of(db.url(), dir).withBackfill(new BackfillSettings(batchSize, Duration.ZERO))
                .withListener(e -> {
                    if (e instanceof Event.BackfillProgress p) {
                        progress.add(p.rows());
                    }
                }));
    }

    /**
     * A superuser's backfill runs as a replica (no trigger call per row); an ordinary owner cannot,
     * and its batches skip the trigger through its WHEN clause instead. Both must fill every row.
     */
    @Test
    void anOwnerWhoIsNotSuperuserBackfillsToo() {
        String role = "reverso_owner_" + Long.toString(System.nanoTime() % 1_000_000, 36);
        db.execute("create role " + role + " login; grant create, connect on database " + db.name() + " to " + role + ";"
                + " grant create, usage on schema public to " + role + ";"
                + " create table public.items (id bigint primary key, n int not null);"
                + " insert into public.items select g, g from generate_series(1, 3000) g;"
                + " alter table public.items owner to " + role);
        try {
            new MigrationsDir(dir).write("0001_add_double.json", """
                    {"operations": [{"add_column": {"table": "items", "up": "n * 2",
                      "column": {"name": "double_n", "type": "int", "nullable": false}}}]}""");
            dev.reverso.DatabaseUrl asOwner = new dev.reverso.DatabaseUrl(db.url().jdbcUrl(), role, null);
            Reverso reverso = Reverso.with(ReversoConfig.of(asOwner, dir).withSchema("reverso_" + role)
                    .withBackfill(new BackfillSettings(500, Duration.ZERO)));

            reverso.start("1");
            reverso.complete();

            assertThat(db.value("select count(*) from public.items where double_n is distinct from n * 2")).isEqualTo("0");
            assertThat(db.value("select rolsuper::text from pg_roles where rolname = '" + role + "'")).isEqualTo("false");
        } finally {
            db.execute("drop schema if exists public_0001_add_double cascade; drop table if exists public.items cascade;"
                    + " drop schema if exists reverso_" + role + " cascade; drop owned by " + role + "; drop role " + role);
        }
    }
}
