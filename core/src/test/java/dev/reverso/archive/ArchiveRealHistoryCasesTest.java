package dev.reverso.archive;

import dev.reverso.DownTarget;
import dev.reverso.Event;
import dev.reverso.PlanReport;
import dev.reverso.Reverso;
import dev.reverso.ReversoConfig;
import dev.reverso.ReversoException;
import dev.reverso.RollbackPlan;
import dev.reverso.release.Risk;
import dev.reverso.release.RiskLevel;
import dev.reverso.release.RiskThresholds;
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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The cases of issue 14 found by applying real migration histories with archiving on: each a
 * migration psql applies, or a rollback it runs, that the archive must neither fail nor crash,
 * and verdicts that must say what really happens.
 */
class ArchiveRealHistoryCasesTest {

    static ScratchDatabase db;

    @TempDir
    Path dir;
    MigrationsDir files;
    Reverso reverso;
    final List<Event> events = new ArrayList<>();

    @BeforeAll
    static void createDatabase() {
        db = ScratchDatabase.create(ArchiveRealHistoryCasesTest.class);
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

    private List<String> restored() {
        return events.stream().filter(e -> e instanceof Event.Restored).map(e -> ((Event.Restored) e).note()).toList();
    }

    // Item 3: FROM inside an expression is not the UPDATE's FROM clause.
    @Test
    void anUpdateWhoseExpressionsSayFromIsArchivedAndUndone() {
        db.execute("create table g (id int primary key, a text, b text, at timestamptz)");
        db.execute("insert into g select i, case when i % 2 = 0 then 'x' || i end, 'y' || i, timestamptz '2024-03-05 10:00+00'"
                + " from generate_series(1, 10) i");
        String before = checksum("g");
        files.pair("0001_copy", "UPDATE g SET a = b WHERE a IS DISTINCT FROM b;\n"
                        + "UPDATE g SET b = substring(b FROM 1 FOR 1) || extract(year FROM at)::text WHERE a IS NOT DISTINCT FROM b;\n"
                        + "UPDATE g SET a = trim(BOTH FROM ' ' || a || ' ') WHERE position('y' in a) > 0 AND extract(month FROM at) = 3;",
                "select 1;");
        reverso.up(Optional.empty());
        assertThat(db.value("select count(*) from g where b = 'y2024'")).isEqualTo("10");
        assertThat(db.value("select string_agg(row_count::text, ',' order by id) from reverso.archives")).isEqualTo("10,10,10");

        reverso.down(new DownTarget.Count(1));

        assertThat(checksum("g")).isEqualTo(before);
    }

    @Test
    void anUpdateWithARealFromListStillArchivesOnlyTheRowsItJoins() {
        db.execute("create table g (id int primary key, a text); create table src (id int, v text)");
        db.execute("insert into g select i, 'old' from generate_series(1, 10) i; insert into src values (2, 'new'), (3, 'new')");
        files.pair("0001_copy", "UPDATE g SET a = src.v FROM src WHERE src.id = g.id AND g.a IS DISTINCT FROM src.v;", "select 1;");
        reverso.up(Optional.empty());
        assertThat(db.value("select row_count from reverso.archives")).isEqualTo("2");
        reverso.down(new DownTarget.Count(1));
        assertThat(db.value("select count(*) from g where a = 'old'")).isEqualTo("10");
    }

    // Item 4: archive names (and the names of what moves with a table) are unique by construction.
    @Test
    void longTableNamesDroppedTogetherGetDistinctArchiveNamesAndComeBack() {
        String common = "billing_invoice_manual_usage_based_line_configuration_"; // 55 bytes
        String a = common + "aaaaa";
        String b = common + "bbbbb";
        String c = common + "ccccc";
        for (String t : List.of(a, b, c)) {
            db.execute("create table " + t + " (id serial primary key, v text unique)");
            db.execute("create index on " + t + " (lower(v))");
            db.execute("insert into " + t + " (v) select 'v' || i from generate_series(1, 5) i");
        }
        files.pair("20241108160647_drop_configs", "drop table " + a + ";\ndrop table " + b + ";\ndrop table " + c + ";",
                null);
        reverso.up(Optional.empty());
        assertThat(db.value("select count(*) from pg_tables where schemaname = 'reverso_archive'"))
                .as(db.value("select string_agg(coalesce(detail::jsonb->>'note', ''), ' | ') from reverso.archives")).isEqualTo("3");
        assertThat(db.value("select count(distinct archive_table) from reverso.archives")).isEqualTo("3");
        assertThat(db.value("select bool_and(archive_table like '%\\_' || id) from reverso.archives")).isEqualTo("t");

        reverso.down(new DownTarget.Count(1));

        for (String t : List.of(a, b, c)) {
            assertThat(db.value("select count(*) from " + t)).isEqualTo("5");
            assertThat(db.value("select count(*) from pg_indexes where tablename = '" + t + "'")).isEqualTo("3");
        }
        db.execute("insert into " + a + " (v) values ('next')");
        assertThat(db.value("select id from " + a + " where v = 'next'")).isEqualTo("6");
    }

    @Test
    void twoLongNamesAlikeInTheirFirst63BytesOfArchiveNameAreArchivedApart() {
        // Each pair cuts to the same readable part; only the id tells them apart, and it survives the cut.
        String a = "x".repeat(56) + "_one";
        String b = "x".repeat(56) + "_two";
        String c = "y".repeat(56) + "_one";
        String d = "y".repeat(56) + "_two";
        for (String t : List.of(a, b, c, d)) {
            db.execute("create table " + t + " (id int primary key, v text); insert into " + t + " values (1, '" + t + "')");
        }
        files.pair("20241108160647_alike", "alter table " + a + " drop column v;\nalter table " + b + " drop column v;\n"
                + "drop table " + c + ", " + d + ";", null);
        reverso.up(Optional.empty());
        assertThat(db.value("select count(distinct archive_table) from reverso.archives where kind <> 'not archived'"))
                .isEqualTo("4");
        reverso.down(new DownTarget.Count(1));
        for (String t : List.of(a, b, c, d)) {
            assertThat(db.value("select v from " + t)).isEqualTo(t);
        }
    }

    @Test
    void archiveNamesKeepTheirIdAndPartsNeverMeetATableName() {
        String name = ArchiveNames.of("20241108160647", "b".repeat(60), "c".repeat(60), 123456789L);
        assertThat(name).endsWith("_123456789").hasSizeLessThanOrEqualTo(62);
        String part = ArchiveNames.part(name, 12);
        assertThat(part).hasSizeLessThanOrEqualTo(62).contains("123456789").isNotEqualTo(ArchiveNames.of("1", "x", null, 12));
        // A table named like another archive's part still gets a name of its own.
        String archive5 = ArchiveNames.of("1", "foo", null, 5);
        assertThat(ArchiveNames.part(archive5, 2)).isNotEqualTo(ArchiveNames.of("1", "foo_5", null, 2));
        // Multi-byte names are cut on a character boundary.
        String accents = ArchiveNames.of("1", "é".repeat(40), null, 7);
        assertThat(accents.getBytes(java.nio.charset.StandardCharsets.UTF_8).length).isLessThanOrEqualTo(62);
        assertThat(accents).endsWith("é_7");
    }

    // Item 7: the add-then-backfill pattern rolls back. (A plain ADD COLUMN's backfill archives
    // nothing at all, ArchiveBackfillTest; IF NOT EXISTS does not vouch for the column being new.)
    @Test
    void aBackfillOfAColumnTheDownDropsRollsBackAndSaysItNeedsNoRestore() {
        db.execute("create table t (id int primary key, a int)");
        db.execute("insert into t select i, i * 10 from generate_series(1, 5) i");
        String before = checksum("t");
        files.pair("0001_b", "ALTER TABLE t ADD COLUMN IF NOT EXISTS b int;\nUPDATE t SET b = a;", "ALTER TABLE t DROP COLUMN b;");
        reverso.up(Optional.empty());

        reverso.down(new DownTarget.Count(1));

        assertThat(checksum("t")).isEqualTo(before);
        assertThat(restored()).singleElement().asString()
                .contains("not restored: column public.t.b no longer exists after the down (the down drops it)");
        assertThat(db.value("select state from reverso.migrations")).isEqualTo("rolled_back");
    }

    // Item 8: a widened column of a table the down drops.
    @Test
    void aWidenedColumnOfATableTheDownDropsRollsBack() {
        files.pair("0001_w", "create table w (id int primary key, name varchar(128));\n"
                + "alter table w alter column name type varchar(500);", "drop table w;");
        reverso.up(Optional.empty());

        reverso.down(new DownTarget.Count(1));

        assertThat(db.value("select count(*) from pg_tables where tablename = 'w'")).isEqualTo("0");
        assertThat(restored()).singleElement().asString().contains("nothing to restore");
        assertThat(db.value("select state from reverso.migrations")).isEqualTo("rolled_back");
    }

    @Test
    void entriesWithoutArchiveTableOrDefinitionNeverCrashARollback() {
        db.execute("create table w (id int primary key, name varchar(128))");
        files.pair("0001_w", "alter table w alter column name type varchar(500);\nalter table w add column extra int;",
                "drop table w;");
        reverso.up(Optional.empty());
        // A hand-edited entry: no definition, no archive table.
        db.execute("insert into reverso.archives (version, step, kind, source_schema, source_table, archive_table, detail,"
                + " row_count, bytes) values ('1', 2, 'type', 'public', 'w', null, '{\"statement\":\"x\",\"column\":\"extra\"}', 0, 0),"
                + " ('1', 2, 'column', 'public', 'w', null, '{\"statement\":\"x\",\"column\":\"gone\"}', 0, 0)");

        reverso.down(new DownTarget.Count(1));

        assertThat(db.value("select state from reverso.migrations")).isEqualTo("rolled_back");
        assertThat(restored()).hasSize(3);
    }

    // Item 9: a DO block that only runs DDL changes no data.
    @Test
    void aDoBlockOfDdlIsNeitherImpossibleToRollBackNorCritical() {
        db.execute("create table parent (id int primary key); create table t (id int primary key, parent_id int);"
                + " create index t_old_idx on t (parent_id)");
        files.pair("0001_ddl_in_do", "DO $$ BEGIN DROP INDEX IF EXISTS t_old_idx; END $$;\n"
                        + "DO $$\nBEGIN\n  IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = 't_parent_fk') THEN\n"
                        + "    ALTER TABLE t ADD CONSTRAINT t_parent_fk FOREIGN KEY (parent_id) REFERENCES parent (id)"
                        + " ON DELETE CASCADE ON UPDATE CASCADE;\n  END IF;\nEND\n$$;",
                "alter table t drop constraint t_parent_fk;\ncreate index t_old_idx on t (parent_id);");
        List<Risk> risks = reverso.risks(Optional.empty(), RiskThresholds.defaults());
        assertThat(risks.get(0).level()).isNotEqualTo(RiskLevel.CRITICAL);
        assertThat(risks.get(0).reasons()).noneMatch(r -> r.text().contains("DO block"));

        reverso.up(Optional.empty());
        assertThat(db.value("select count(*) from reverso.archives")).isEqualTo("0");
        assertThat(reverso.rollbackPlan(new DownTarget.Count(1)).verdict()).isEqualTo(RollbackPlan.Verdict.SAFE);
        reverso.down(new DownTarget.Count(1));
        assertThat(db.value("select count(*) from pg_indexes where indexname = 't_old_idx'")).isEqualTo("1");
    }

    @Test
    void aDoBlockThatChangesDataStillSaysSo() {
        db.execute("create table t (id int primary key, a int)");
        for (String body : List.of("BEGIN DELETE FROM t WHERE a IS NULL; END",
                "BEGIN IF true THEN UPDATE t SET a = 1; END IF; END",
                "DECLARE n int; BEGIN n := 1; TRUNCATE t; END",
                "BEGIN EXECUTE 'DELETE FROM ' || 't'; END",
                "BEGIN EXECUTE 'ALTER TABLE t DROP COLUMN a'; END",
                "BEGIN ALTER TABLE t DROP COLUMN a; END",
                "BEGIN DROP TABLE t; END",
                "BEGIN INSERT INTO t VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET a = excluded.a; END")) {
            var statement = dev.reverso.sql.StatementSplitter.split("DO $x$ " + body + " $x$;").get(0);
            assertThat(Destructions.of(statement)).as(body).singleElement().isInstanceOf(Destruction.Unbounded.class);
        }
        for (String body : List.of("BEGIN DROP INDEX IF EXISTS t_old_idx; END",
                "BEGIN EXECUTE 'CREATE INDEX i ON t (a)'; END",
                "BEGIN CREATE TRIGGER tr BEFORE INSERT OR UPDATE OR DELETE ON t FOR EACH ROW EXECUTE FUNCTION f(); END",
                "BEGIN GRANT SELECT, INSERT, UPDATE, DELETE ON t TO PUBLIC; END",
                "BEGIN PERFORM 1 FROM t FOR UPDATE; ALTER TABLE t ADD FOREIGN KEY (a) REFERENCES t ON DELETE SET NULL; END",
                "BEGIN CREATE TYPE s AS ENUM ('a'); EXCEPTION WHEN duplicate_object THEN NULL; END",
                // Lemmy's enable_english_for_all: rows added, none overwritten or removed.
                "BEGIN IF (SELECT count(*) FROM t) = 184 THEN INSERT INTO t SELECT id + 1000, 37 FROM t; END IF; END",
                "BEGIN INSERT INTO t VALUES (1, 1) ON CONFLICT DO NOTHING; END")) {
            var statement = dev.reverso.sql.StatementSplitter.split("DO $x$ " + body + " $x$;").get(0);
            assertThat(Destructions.of(statement)).as(body).isEmpty();
        }
    }

    // Item 10: nothing destroyed, nothing reported archived.
    @Test
    void aWideningTypeChangeIsNotReportedAsArchived() {
        db.execute("create table w (id int primary key, name varchar(128))");
        files.pair("0013_widen", "alter table w alter column name type varchar(500);", "select 1;");
        reverso.up(Optional.empty());
        assertThat(events).noneMatch(e -> e instanceof Event.Archived);
        assertThat(db.value("select archive_table is null from reverso.archives")).isEqualTo("t");
    }

    // Item 11: the dry run archives too.
    @Test
    void theDryRunArchivesLikeUpAndRollsItBack() {
        db.execute("create table notes (id int primary key, body text)");
        db.execute("insert into notes select g, 'b' || g from generate_series(1, 3) g");
        files.pair("0001_drop", "alter table notes drop column body;\ndrop table notes;", null);
        PlanReport plan = reverso.plan(Optional.empty());
        assertThat(plan.migrations().get(0).checked()).isEqualTo("ok");
        assertThat(db.value("select count(*) from reverso.archives")).isEqualTo("0");
        assertThat(db.value("select count(*) from pg_namespace where nspname = 'reverso_archive'")).isEqualTo("0");
        assertThat(db.value("select count(body) from notes")).isEqualTo("3");
    }

    @Test
    void theDryRunFailsWhereTheArchivedUpWouldFail() {
        // The archive moves the table away, so a later statement that still names it fails in the
        // dry run as it would in up (and as it would with psql: the table is dropped).
        db.execute("create table notes (id int primary key, body text)");
        files.pair("0001_drop", "drop table notes;\nselect count(*) from notes;", null);
        PlanReport plan = reverso.plan(Optional.empty());
        assertThat(plan.migrations().get(0).checked()).isEqualTo("failed");
        assertThat(plan.migrations().get(0).error()).contains("notes");
        assertThat(db.value("select count(*) from pg_tables where tablename = 'notes'")).isEqualTo("1");
    }

    // Item 14: names as the server stores them.
    @Test
    void aColumnNamedLongerThan63BytesIsArchivedUnderTheNameTheServerKept() {
        String longName = "a_column_whose_name_is_much_longer_than_the_sixty_three_bytes_limit_allows";
        String accented = "é".repeat(40);
        db.execute("create table t (id int primary key, " + longName + " text, \"" + accented + "\" text, dat text)");
        db.execute("insert into t select i, 'l' || i, 'e' || i, 'd' || i from generate_series(1, 4) i");
        String before = checksum("t");
        files.pair("0001_long", "alter table t drop column " + longName + ";\n"
                        + "alter table t drop column \"" + accented + "\";\n"
                        + "alter table t drop column U&\"d!0061t\" UESCAPE '!';",
                "alter table t add column " + longName + " text;\nalter table t add column \"" + accented + "\" text;\n"
                        + "alter table t add column dat text;");
        reverso.up(Optional.empty());
        assertThat(db.value("select string_agg(kind || ':' || row_count, ',' order by id) from reverso.archives"))
                .isEqualTo("column:4,column:4,column:4");
        assertThat(reverso.rollbackPlan(new DownTarget.Count(1)).verdict()).isEqualTo(RollbackPlan.Verdict.SAFE_WITH_RESTORE);
        reverso.down(new DownTarget.Count(1));
        assertThat(checksum("t")).isEqualTo(before);
    }

    @Test
    void aTableNamedLongerThan63BytesIsMovedAndBack() {
        String longName = "a_table_whose_name_is_much_longer_than_the_sixty_three_bytes_limit_allows";
        db.execute("create table " + longName + " (id int primary key)");
        db.execute("insert into " + longName + " values (1), (2)");
        files.pair("0001_long", "update " + longName + " set id = id + 10;\ndrop table " + longName + ";", null);
        reverso.up(Optional.empty());
        assertThat(db.value("select string_agg(kind || ':' || row_count, ',' order by id) from reverso.archives"))
                .as(db.value("select string_agg(coalesce(detail::jsonb->>'note', ''), ' | ') from reverso.archives")).startsWith("values:2,table:");
        reverso.down(new DownTarget.Count(1));
        assertThat(db.value("select string_agg(id::text, ',' order by id) from " + longName)).isEqualTo("1,2");
    }

    // "What it must be": archiving never fails a migration that would otherwise succeed (and see
    // ArchiveRestoreTest.aFailureWhileArchivingIsRecordedAndTheMigrationRunsAsWritten).
    @Test
    void aLockTimeoutWhileArchivingStillFailsSoTheRetryCanWork() {
        assertThat(Archiver.propagates(new java.sql.SQLException("x", "55P03"))).isTrue();
        assertThat(Archiver.propagates(new java.sql.SQLException("x", "57014"))).isTrue();
        assertThat(Archiver.propagates(new java.sql.SQLException("x", "40P01"))).isTrue();
        assertThat(Archiver.propagates(new java.sql.SQLException("x", "42501"))).isFalse();
    }

    // Internal errors name the migration and the step.
    @Test
    void aRuntimeExceptionInsideAMigrationIsAFailureNamingItsStep() {
        db.execute("create table t (id int primary key)");
        files.pair("0001_two_steps", "alter table t add column a int;\nalter table t add column b int;", null);
        Reverso failing = Reverso.with(ReversoConfig.of(db.url(), dir).withListener(e -> {
            if (e instanceof Event.StatementStarting s && s.step() == 2) {
                throw new IllegalStateException("boom");
            }
        }));
        assertThatThrownBy(() -> failing.up(Optional.empty()))
                .isInstanceOf(ReversoException.class)
                .hasMessageContaining("1_two_steps failed at line 2 (alter table t add column b int): internal error")
                .hasMessageContaining("IllegalStateException: boom")
                .hasMessageContaining("rolled back, nothing changed");
        assertThat(db.value("select count(*) from information_schema.columns where table_name = 't'")).isEqualTo("1");
    }
}
