package dev.reverso.ops;

import dev.reverso.Event;
import dev.reverso.MigrationStatus;
import dev.reverso.Reverso;
import dev.reverso.ReversoConfig;
import dev.reverso.testing.MigrationsDir;
import dev.reverso.testing.ScratchDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A start killed with SIGKILL in the middle of its backfill resumes from the last committed batch. */
class KilledStartTest {

    static ScratchDatabase db;

    @TempDir
    Path dir;

    @BeforeAll
    static void createDatabase() {
        db = ScratchDatabase.create(KilledStartTest.class);
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    @Test
    void resumesTheBackfillWhereTheKilledRunLeftIt() throws Exception {
        db.execute("create table public.events (id bigint primary key, kind text not null);"
                + " insert into public.events select g, 'k' || (g % 7) from generate_series(1, 40000) g");
        new MigrationsDir(dir).write("0002_kind_code.json", """
                {"operations": [{"add_column": {"table": "events", "up": "length(kind) * 10 + id % 7",
                  "column": {"name": "kind_code", "type": "int", "nullable": false}}}]}""");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), StartInAnotherProcess.class.getName(), db.jdbcUrl(),
                dir.toString(), "2", "200", "10").redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (rowsBackfilled() < 3000) {
            assertThat(child.isAlive()).as("the child is still running").isTrue();
            assertThat(System.nanoTime()).as("backfill progress within 60 s").isLessThan(deadline);
            Thread.sleep(20);
        }
        new ProcessBuilder("kill", "-9", Long.toString(child.pid())).start().waitFor();
        child.waitFor();
        waitForRunnerLockRelease();
        long saved = rowsBackfilled();
        assertThat(saved).isBetween(3000L, 39_000L);

        Reverso reverso = Reverso.with(ReversoConfig.of(db.url(), dir));
        MigrationStatus status = reverso.status().migrations().get(0);
        assertThat(status.state()).isEqualTo(MigrationStatus.State.INTERRUPTED);
        assertThat(status.detail()).contains("start step").contains(saved + " rows backfilled");

        List<Long> progress = new ArrayList<>();
        Reverso resumed = Reverso.with(ReversoConfig.of(db.url(), dir)
                .withBackfill(new BackfillSettings(1000, Duration.ZERO))
                .withListener(e -> {
                    if (e instanceof Event.BackfillProgress p) {
                        progress.add(p.rows());
                    }
                }));
        ExpandContract.Started started = resumed.start("2");

        assertThat(started.resumed()).isTrue();
        // The first batch after the resume counts on from the saved position: nothing done twice.
        assertThat(progress.get(0)).isEqualTo(saved + 1000);
        assertThat(progress.get(progress.size() - 1)).isEqualTo(40_000L);
        assertThat(db.value("select count(*) from public.events where _reverso_new_kind_code is distinct from length(kind) * 10 + id % 7"))
                .isEqualTo("0");
        assertThat(db.value("select count(*) from reverso.audit where action = 'start' and outcome = 'resumed'")).isEqualTo("1");
        resumed.complete();
        assertThat(db.value("select count(*) from public.events where kind_code is null")).isEqualTo("0");
    }

    private static long rowsBackfilled() {
        if (db.value("select to_regclass('reverso.expansions')") == null) {
            return 0;
        }
        return Long.parseLong(db.value("select coalesce((select backfill_rows from reverso.expansions where version = '2'), 0)"));
    }

    private static void waitForRunnerLockRelease() throws InterruptedException {
        for (int i = 0; i < 200 && !"0".equals(db.value("select count(*) from pg_locks where locktype = 'advisory'")); i++) {
            Thread.sleep(25);
        }
    }
}
