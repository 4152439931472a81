package dev.reverso;

import dev.reverso.testing.MigrationsDir;
import dev.reverso.testing.ScratchDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * "Written since" counts the application's writes only: what later migrations (and their
 * rollbacks) wrote to a table is not data a rollback would lose, once those migrations are rolled
 * back ahead of it.
 */
class WrittenSinceTest {

    static ScratchDatabase db;

    @TempDir
    Path dir;
    MigrationsDir files;
    Reverso reverso;

    @BeforeAll
    static void createDatabase() {
        db = ScratchDatabase.create(WrittenSinceTest.class);
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    @BeforeEach
    void reset() {
        db.resetSchemas();
        files = new MigrationsDir(dir);
        reverso = Reverso.with(ReversoConfig.of(db.url(), dir));
    }

    private void twoMigrations() {
        files.pair("0001_t", "CREATE TABLE t (id int PRIMARY KEY, n int);\nINSERT INTO t VALUES (1, 0);", "DROP TABLE t;");
        files.pair("0002_n", "UPDATE t SET n = 1;", "UPDATE t SET n = 0;");
    }

    /**
     * Statistics reach other sessions when the writing session flushes them (at the latest when it
     * disconnects, which the server finishes after the client has gone): wait until they show at
     * least this many writes to t, so the rollback judges the counters of every write made so far.
     */
    private static void awaitWrites(long atLeast) throws InterruptedException {
        String sql = "select coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) from pg_stat_user_tables where relname = 't'";
        for (int i = 0; i < 100 && Long.parseLong(db.value(sql)) < atLeast; i++) {
            Thread.sleep(100);
        }
        assertThat(Long.parseLong(db.value(sql))).isGreaterThanOrEqualTo(atLeast);
    }

    @Test
    void writesOfLaterMigrationsRolledBackInTheSameRunAreNotWrittenSince() throws Exception {
        twoMigrations();
        reverso.up(Optional.empty());
        awaitWrites(2);

        RollbackPlan plan = reverso.rollbackPlan(new DownTarget.All());
        assertThat(plan.migrations()).extracting(RollbackPlan.Migration::version).containsExactly("2", "1");
        assertThat(plan.migrations().get(1).writes()).containsExactly(new RollbackPlan.Writes("public.t", 0, true));
        assertThat(plan.migrations().get(1).losses()).isEmpty();

        RunResult down = reverso.down(new DownTarget.All());

        assertThat(down.migrations()).extracting(RunResult.Ran::version).containsExactly("2", "1");
        assertThat(db.tableExists("t")).isFalse();
    }

    @Test
    void writesOfALaterMigrationAndOfItsRollbackInAnEarlierRunAreNotWrittenSince() throws Exception {
        twoMigrations();
        reverso.up(Optional.empty());
        reverso.down(new DownTarget.Count(1));
        awaitWrites(3);

        RollbackPlan plan = reverso.rollbackPlan(new DownTarget.Count(1));
        assertThat(plan.migrations()).singleElement().satisfies(m -> {
            assertThat(m.version()).isEqualTo("1");
            assertThat(m.writes()).containsExactly(new RollbackPlan.Writes("public.t", 0, true));
            assertThat(m.verdict()).isEqualTo(RollbackPlan.Verdict.SAFE);
        });

        reverso.down(new DownTarget.Count(1));
        assertThat(db.tableExists("t")).isFalse();
    }

    @Test
    void writesALaterMigrationMadeThroughAForeignKeysCascadeAreItsOwnToo() throws Exception {
        // As in Lemmy's history: deleting a user deletes, by cascade, the community it created.
        files.pair("0001_t", "CREATE TABLE users (id int PRIMARY KEY);\nINSERT INTO users VALUES (1), (2);\n"
                + "CREATE TABLE t (id int PRIMARY KEY, owner int REFERENCES users ON DELETE CASCADE);\n"
                + "INSERT INTO t VALUES (1, 1), (2, 2);", "DROP TABLE t;\nDROP TABLE users;");
        files.pair("0002_remove_admin", "DELETE FROM users WHERE id = 1;", "SELECT 1;");
        reverso.up(Optional.empty());
        assertThat(db.column("select table_name || ' ' || own_writes || ' ' || (writes is null) from reverso.table_stats"
                + " where version = '2' order by 1")).containsExactly("t 1 true", "users 1 false");
        awaitWrites(3);

        assertThat(reverso.rollbackPlan(new DownTarget.All()).migrations().get(1).losses()).isEmpty();
        reverso.down(new DownTarget.All());
        assertThat(db.tableExists("t")).isFalse();
    }

    @Test
    void writesOfAStepByStepMigrationAndOfItsStepByStepDownAreCountedStepByStep() throws Exception {
        files.pair("0001_t", "CREATE TABLE t (id int PRIMARY KEY, n int);\nINSERT INTO t SELECT g, 0 FROM generate_series(1, 5) g;",
                "DROP TABLE t;");
        files.pair("0002_n", "UPDATE t SET n = 1;\nCREATE INDEX CONCURRENTLY t_n ON t (n);",
                "DROP INDEX CONCURRENTLY t_n;\nUPDATE t SET n = 0 WHERE id > 2;");
        reverso.up(Optional.empty());
        assertThat(db.value("select own_writes from reverso.table_stats where version = '2'")).isEqualTo("5");
        reverso.down(new DownTarget.Count(1));
        // The down's UPDATE (3 rows), and the archive putting back the values the up's UPDATE changed (5).
        assertThat(db.value("select down_writes from reverso.table_stats where version = '2'")).isEqualTo("8");
        awaitWrites(18);

        assertThat(reverso.rollbackPlan(new DownTarget.Count(1)).migrations()).singleElement()
                .satisfies(m -> assertThat(m.writes()).containsExactly(new RollbackPlan.Writes("public.t", 0, true)));
        reverso.down(new DownTarget.Count(1));
        assertThat(db.tableExists("t")).isFalse();
    }

    @Test
    void theApplicationsWritesBetweenTwoMigrationsStillCount() throws Exception {
        files.pair("0001_t", "CREATE TABLE t (id int PRIMARY KEY, n int);\nINSERT INTO t VALUES (1, 0);", "DROP TABLE t;");
        reverso.up(Optional.empty());
        db.execute("insert into t values (2, 0)");
        files.pair("0002_n", "UPDATE t SET n = 1;", "UPDATE t SET n = 0;");
        reverso.up(Optional.empty());
        awaitWrites(4);

        assertThatThrownBy(() -> reverso.down(new DownTarget.All()))
                .isInstanceOfSatisfying(ReversoException.class, e -> assertThat(e.kind()).isEqualTo(ReversoException.Kind.CHECK_FAILED))
                .hasMessageContaining("rolling back 1_t would lose data (data written since would be lost): 1 rows written to"
                        + " public.t since it was applied; the rollback drops table public.t");
        assertThat(db.value("select count(*) from reverso.migrations where state = 'applied'")).isEqualTo("2");
        assertThat(db.value("select count(*) from t")).isEqualTo("2");

        reverso.down(new DownTarget.All(), true);
        assertThat(db.tableExists("t")).isFalse();
    }

    @Test
    void aTableStatsTableWithoutTheNewColumnsGetsThemAndKeepsItsRows() throws Exception {
        twoMigrations();
        reverso.up(Optional.empty());
        db.execute("alter table reverso.table_stats drop column own_writes, drop column down_writes, drop column down_at");

        assertThat(reverso.status().migrations()).hasSize(2);
        assertThat(db.value("select count(*) from reverso.table_stats where own_writes = 0 and down_writes = 0"))
                .isEqualTo("2");
        assertThat(db.value("select value from reverso.meta where key = 'layout_version'")).isEqualTo("4");
        // Rows recorded before the columns existed know nothing of the migrations' own writes, so they
        // count as written since, as before.
        awaitWrites(2);
        assertThatThrownBy(() -> reverso.down(new DownTarget.All())).hasMessageContaining("1 rows written to public.t");
        reverso.down(new DownTarget.All(), true);
        assertThat(db.tableExists("t")).isFalse();
    }
}
