package dev.reverso.archive;

import dev.reverso.DownTarget;
import dev.reverso.Event;
import dev.reverso.Reverso;
import dev.reverso.ReversoConfig;
import dev.reverso.RollbackPlan;
import dev.reverso.sql.Statement;
import dev.reverso.sql.StatementSplitter;
import dev.reverso.testing.MigrationsDir;
import dev.reverso.testing.ScratchDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A migration that fills a column it has just added destroys nothing the application had (found
 * applying Lemmy's history); a WITH query whose CTEs only read is an UPDATE or DELETE like any
 * other; a temporary table is no one's data.
 */
class ArchiveBackfillTest {

    static ScratchDatabase db;

    @TempDir
    Path dir;
    MigrationsDir files;
    Reverso reverso;
    final List<Event> events = new ArrayList<>();

    @BeforeAll
    static void createDatabase() {
        db = ScratchDatabase.create(ArchiveBackfillTest.class);
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    @BeforeEach
    void reset() {
        db.execute("drop schema if exists reverso cascade; drop schema if exists reverso_archive cascade;"
                + " drop schema public cascade; create schema public");
        files = new MigrationsDir(dir);
        events.clear();
        reverso = Reverso.with(ReversoConfig.of(db.url(), dir).withListener(events::add));
    }

    private static String checksum(String table) {
        return db.value("select md5(coalesce(string_agg(t::text, ',' order by t::text), '')) from " + table + " t");
    }

    private List<String> warnings() {
        return events.stream().filter(e -> e instanceof Event.Warning).map(e -> ((Event.Warning) e).message()).toList();
    }

    private static Statement statement(String sql) {
        return StatementSplitter.split(sql).get(0);
    }

    private static List<Statement> statements(String sql) {
        return StatementSplitter.split(sql);
    }

    // The repro from Lemmy's history: a WITH fills the column the migration added.
    @Test
    void aWithBackfillOfAnAddedColumnRollsBackWithoutAcceptLoss() {
        files.pair("001_t", "CREATE TABLE t (id int PRIMARY KEY, a int);\nINSERT INTO t VALUES (1,1);", "DROP TABLE t;");
        files.pair("002_b", "ALTER TABLE t ADD COLUMN b int;\n"
                + "WITH s AS (SELECT id, a FROM t) UPDATE t SET b = s.a FROM s WHERE s.id = t.id;", "ALTER TABLE t DROP COLUMN b;");
        reverso.up(Optional.empty());
        assertThat(db.value("select b from t")).isEqualTo("1");
        assertThat(db.value("select count(*) from reverso.archives where version = '2'")).isEqualTo("0");
        assertThat(warnings()).isEmpty();
        RollbackPlan plan = reverso.rollbackPlan(new DownTarget.Count(1));
        assertThat(plan.verdict()).as(plan.toString()).isEqualTo(RollbackPlan.Verdict.SAFE);

        reverso.down(new DownTarget.Count(1));

        assertThat(db.value("select count(*) from information_schema.columns where table_name = 't'")).isEqualTo("2");
        assertThat(db.value("select state from reverso.migrations where version = '2'")).isEqualTo("rolled_back");
        // The rest of down --all: 001's verdict counts 002's UPDATE as a write since 001 ("written since", apart).
        reverso.down(new DownTarget.All(), true);
        assertThat(db.value("select count(*) from pg_tables where schemaname = 'public'")).isEqualTo("0");
    }

    @Test
    void aPlainBackfillOfAnAddedColumnCopiesNothingAndIsSafe() {
        db.execute("create table t (id int primary key, a int)");
        db.execute("insert into t select i, i * 10 from generate_series(1, 5) i");
        String before = checksum("t");
        files.pair("0001_b", "ALTER TABLE t ADD COLUMN b int, ADD COLUMN c text;\nUPDATE t SET b = a, c = a::text WHERE a > 10;",
                "ALTER TABLE t DROP COLUMN b, DROP COLUMN c;");
        reverso.up(Optional.empty());
        assertThat(db.value("select count(*) from reverso.archives")).isEqualTo("0");
        assertThat(db.value("select count(*) from pg_tables where schemaname = 'reverso_archive'")).isEqualTo("0");
        assertThat(reverso.rollbackPlan(new DownTarget.Count(1)).verdict()).isEqualTo(RollbackPlan.Verdict.SAFE);

        reverso.down(new DownTarget.Count(1));

        assertThat(checksum("t")).isEqualTo(before);
    }

    @Test
    void anUpdateOfAddedAndOldColumnsArchivesOnlyTheOldOnes() {
        db.execute("create table t (id int primary key, a int)");
        db.execute("insert into t select i, i * 10 from generate_series(1, 5) i");
        String before = checksum("t");
        files.pair("0001_b", "ALTER TABLE t ADD COLUMN b int;\nUPDATE t SET b = a, a = 0;", "ALTER TABLE t DROP COLUMN b;");
        reverso.up(Optional.empty());
        assertThat(db.value("select detail::jsonb->>'columns' from reverso.archives")).isEqualTo("[\"a\"]");
        assertThat(reverso.rollbackPlan(new DownTarget.Count(1)).verdict()).isEqualTo(RollbackPlan.Verdict.SAFE_WITH_RESTORE);

        reverso.down(new DownTarget.Count(1));

        assertThat(checksum("t")).isEqualTo(before);
    }

    @Test
    void anUpdateOfAColumnAddedByAnEarlierMigrationIsStillArchived() {
        db.execute("create table t (id int primary key, a int)");
        db.execute("insert into t select i, i * 10 from generate_series(1, 5) i");
        files.pair("0001_b", "ALTER TABLE t ADD COLUMN b int;", "ALTER TABLE t DROP COLUMN b;");
        files.pair("0002_fill", "UPDATE t SET b = a;", "select 1;");
        reverso.up(Optional.empty());
        assertThat(db.value("select count(*) from reverso.archives where version = '2' and kind = 'values'")).isEqualTo("1");
    }

    @Test
    void anAddColumnIfNotExistsDoesNotVouchForTheColumnBeingNew() {
        db.execute("create table t (id int primary key, a int, b int)");
        db.execute("insert into t select i, i * 10, i from generate_series(1, 5) i");
        String before = checksum("t");
        files.pair("0001_b", "ALTER TABLE t ADD COLUMN IF NOT EXISTS b int;\nUPDATE t SET b = a;", "select 1;");
        reverso.up(Optional.empty());
        assertThat(db.value("select count(*) from reverso.archives where kind = 'values'")).isEqualTo("1");
        reverso.down(new DownTarget.Count(1));
        assertThat(checksum("t")).isEqualTo(before);
    }

    @Test
    void aWithUpdateOfExistingColumnsIsArchivedAndPutBack() {
        db.execute("create table t (id int primary key, a int); create table src (id int, v int)");
        db.execute("insert into t select i, i from generate_series(1, 10) i; insert into src values (2, 20), (3, 30)");
        String before = checksum("t");
        files.pair("0001_w", "WITH s AS MATERIALIZED (SELECT id, v FROM src) UPDATE t SET a = s.v FROM s WHERE s.id = t.id;",
                "select 1;");
        reverso.up(Optional.empty());
        assertThat(db.value("select kind || ':' || row_count from reverso.archives")).isEqualTo("values:2");
        assertThat(reverso.rollbackPlan(new DownTarget.Count(1)).verdict()).isEqualTo(RollbackPlan.Verdict.SAFE_WITH_RESTORE);

        reverso.down(new DownTarget.Count(1));

        assertThat(checksum("t")).isEqualTo(before);
    }

    @Test
    void aWithDeleteIsArchivedAndPutBack() {
        db.execute("create table t (id int primary key, a int)");
        db.execute("insert into t select i, i from generate_series(1, 10) i");
        String before = checksum("t");
        files.pair("0001_w", "WITH RECURSIVE gone(id) AS (SELECT 1 UNION ALL SELECT id + 1 FROM gone WHERE id < 3),\n"
                + " more AS (SELECT 9 AS id)\nDELETE FROM t x USING more WHERE x.id IN (SELECT id FROM gone) OR x.id = more.id;",
                "select 1;");
        reverso.up(Optional.empty());
        assertThat(db.value("select count(*) from t")).isEqualTo("6");
        assertThat(db.value("select kind || ':' || row_count from reverso.archives")).isEqualTo("rows:4");

        reverso.down(new DownTarget.Count(1));

        assertThat(checksum("t")).isEqualTo(before);
    }

    @Test
    void withQueriesAreReadByWhatTheirCtesDo() {
        assertThat(Destructions.of(statement("WITH s AS (SELECT 1) UPDATE t SET b = s.x FROM s WHERE s.id = t.id;")))
                .singleElement().isInstanceOfSatisfying(Destruction.UpdatedRows.class, u -> {
                    assertThat(u.with()).contains("WITH s AS (SELECT 1)");
                    assertThat(u.columns()).containsExactly("b");
                    assertThat(u.from()).contains("s");
                });
        assertThat(Destructions.of(statement("WITH s (a, b) AS NOT MATERIALIZED (SELECT 1, 2) DELETE FROM t WHERE a IN (SELECT a FROM s);")))
                .singleElement().isInstanceOf(Destruction.DeletedRows.class);
        for (String sql : List.of("WITH d AS (DELETE FROM u RETURNING id) UPDATE t SET b = 1 FROM d WHERE d.id = t.id;",
                "WITH d AS (UPDATE u SET x = 1 RETURNING id) DELETE FROM t USING d WHERE d.id = t.id;",
                "WITH d AS (INSERT INTO u VALUES (1) RETURNING id) UPDATE t SET b = 1 FROM d WHERE d.id = t.id;",
                "WITH d AS (SELECT 1) DELETE FROM t RETURNING *;",
                "WITH s AS (SELECT 1) MERGE INTO t USING s ON true WHEN MATCHED THEN DELETE;")) {
            assertThat(Destructions.of(statement(sql))).as(sql).singleElement().isInstanceOf(Destruction.Unbounded.class);
        }
        assertThat(Destructions.of(statement("WITH s AS (SELECT 1) INSERT INTO t SELECT * FROM s;"))).isEmpty();
    }

    @Test
    void anUpdateOfColumnsAddedEarlierInTheMigrationDestroysNothing() {
        List<Statement> earlier = statements("ALTER TABLE t ADD COLUMN b int, ADD c int, ADD CONSTRAINT k CHECK (a > 0);"
                + " ALTER TABLE u ADD COLUMN IF NOT EXISTS d int;");
        assertThat(Destructions.of(statement("UPDATE t SET b = 1, c = 2;"), earlier)).isEmpty();
        assertThat(Destructions.of(statement("WITH s AS (SELECT 1 AS x) UPDATE t SET b = s.x FROM s;"), earlier)).isEmpty();
        assertThat(Destructions.of(statement("UPDATE t SET b = 1, a = 2;"), earlier)).singleElement()
                .isInstanceOfSatisfying(Destruction.UpdatedRows.class, u -> assertThat(u.columns()).containsExactly("a"));
        assertThat(Destructions.of(statement("UPDATE u SET d = 1;"), earlier)).hasSize(1);
        assertThat(Destructions.of(statement("UPDATE other.t SET b = 1;"), earlier)).hasSize(1);
        assertThat(Destructions.of(statement("UPDATE t SET b = 1;"), statements("ALTER TABLE t ADD COLUMN b int; DROP TABLE t;")))
                .hasSize(1);
    }

    // Item 2: a temporary table does not outlive its session.
    @Test
    void aDroppedTemporaryTableIsNeitherArchivedNorAFailure() {
        db.execute("create table keep (id int primary key)");
        files.pair("0001_tmp", "CREATE TEMP TABLE tt AS SELECT 1 AS a;\nDROP TABLE tt;", "SELECT 1;");
        reverso.up(Optional.empty());
        assertThat(warnings()).isEmpty();
        assertThat(db.value("select count(*) from reverso.archives")).isEqualTo("0");
        assertThat(reverso.rollbackPlan(new DownTarget.Count(1)).verdict()).isEqualTo(RollbackPlan.Verdict.SAFE);

        reverso.down(new DownTarget.Count(1));

        assertThat(warnings()).isEmpty();
        assertThat(db.value("select state from reverso.migrations")).isEqualTo("rolled_back");
    }

    @Test
    void whatAMigrationDoesToItsTemporaryTablesIsNotArchived() {
        db.execute("create table p (id int primary key, v int); insert into p values (1, 1), (2, 2)");
        files.pair("0001_tmp", "CREATE TEMPORARY TABLE tt (id int PRIMARY KEY, a int, b int);\n"
                        + "INSERT INTO tt SELECT i, i, i FROM generate_series(1, 5) i;\n"
                        + "UPDATE tt SET a = 0;\nDELETE FROM tt WHERE id = 1;\nALTER TABLE tt DROP COLUMN b;\n"
                        + "ALTER TABLE tt ALTER COLUMN a TYPE smallint;\nTRUNCATE tt;\nDROP TABLE tt, p;",
                "CREATE TABLE p (id int PRIMARY KEY, v int);");
        reverso.up(Optional.empty());
        assertThat(warnings()).isEmpty();
        assertThat(db.value("select string_agg(kind || ':' || source_table, ',') from reverso.archives")).isEqualTo("table:p");

        reverso.down(new DownTarget.Count(1));

        assertThat(db.value("select count(*) from p")).isEqualTo("2");
    }
}
