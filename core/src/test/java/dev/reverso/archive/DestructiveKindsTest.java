package dev.reverso.archive;

import dev.reverso.DownTarget;
import dev.reverso.Reverso;
import dev.reverso.ReversoConfig;
import dev.reverso.testing.MigrationsDir;
import dev.reverso.testing.ScratchDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every destructive kind on every awkward kind of table: apply it with no down (Reverso derives
 * one), write a row since, roll back, and compare the table's content with what it was.
 */
class DestructiveKindsTest {

    static ScratchDatabase db;

    @TempDir
    Path dir;

    @BeforeAll
    static void createDatabase() {
        db = ScratchDatabase.create(DestructiveKindsTest.class);
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    /** A table shape: its DDL and rows, the column the destructive statements aim at, and a row to write since. */
    record Shape(String name, String table, String ddl, String fill, String column, String columns, String since, String unsince) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final Shape QUOTED = new Shape("quoted names, generated column, TOAST, NULLs", "\"Odd \"\"T\"", 
            "create table \"Odd \"\"T\" (\"Id\" int primary key, \"e mail\" text, big text,"
                    + " twice int generated always as (\"Id\" * 2) stored)",
            "insert into \"Odd \"\"T\" (\"Id\", \"e mail\", big) select g, case when g % 3 = 0 then null else 'u' || g end,"
                    + " case when g = 5 then repeat(md5(g::text), 5000) end from generate_series(1, 40) g",
            "\"e mail\"", "\"Id\", \"e mail\", big, twice",
            "insert into \"Odd \"\"T\" (\"Id\") values (1000)", "delete from \"Odd \"\"T\" where \"Id\" = 1000");
    static final Shape COMPOSITE = new Shape("composite primary key", "lines",
            "create table lines (order_id int, line int, sku text, qty int, primary key (order_id, line))",
            "insert into lines select g / 5, g % 5, case when g % 4 = 0 then null else 'sku' || g end, g"
                    + " from generate_series(1, 60) g",
            "sku", "order_id, line, sku, qty", "insert into lines (order_id, line, qty) values (999, 1, 1)",
            "delete from lines where order_id = 999");
    static final Shape NO_KEY = new Shape("no key, duplicate rows", "events",
            "create table events (kind text, payload jsonb, at int)",
            "insert into events select 'k' || (g % 3), case when g % 5 = 0 then null else jsonb_build_object('g', g % 7) end,"
                    + " g % 4 from generate_series(1, 50) g",
            "payload", "kind, payload, at", "insert into events (kind, at) values ('since', 0)",
            "delete from events where kind = 'since'");

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Shape s : List.of(QUOTED, COMPOSITE, NO_KEY)) {
            out.add(Arguments.of("drop column", s, "alter table " + s.table() + " drop column " + s.column()));
            out.add(Arguments.of("lossy type change", s, "alter table " + s.table() + " alter column " + s.column()
                    + " type varchar(3) using left(" + s.column() + "::text, 3)"));
            out.add(Arguments.of("drop table", s, "drop table " + s.table()));
            out.add(Arguments.of("truncate", s, "truncate " + s.table()));
            out.add(Arguments.of("delete", s, "delete from " + s.table() + " where " + s.column() + " is null or "
                    + s.column() + "::text like '%1%'"));
            if (s != NO_KEY) {
                out.add(Arguments.of("update", s, "update " + s.table() + " set " + s.column() + " = null where "
                        + s.column() + "::text like '%2%'"));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} on a table with {1}")
    @MethodSource("cases")
    void theRollbackPutsTheContentBack(String kind, Shape shape, String statement) {
        db.execute("drop schema if exists reverso cascade; drop schema if exists reverso_archive cascade;"
                + " drop schema public cascade; create schema public");
        db.execute(shape.ddl());
        db.execute(shape.fill());
        String before = checksum(shape);
        new MigrationsDir(dir).write("0001_destroy.up.sql", statement + ";");
        Reverso reverso = Reverso.with(ReversoConfig.of(db.url(), dir));

        reverso.up(Optional.empty());
        if (!kind.equals("drop table")) {
            db.execute(shape.since());
        }
        reverso.down(new DownTarget.Count(1), true);

        if (!kind.equals("drop table")) {
            db.execute(shape.unsince());
        }
        assertThat(checksum(shape)).as(kind + " on " + shape).isEqualTo(before);
    }

    private static String checksum(Shape s) {
        return db.value("select md5(coalesce(string_agg(r::text, ',' order by r::text), '')) from (select " + s.columns()
                + " from " + s.table() + ") r");
    }

    @org.junit.jupiter.api.Test
    void anUpdateOnATableWithoutKeyIsSaidToBeUnrecoverableBeforeAndAfter() {
        db.execute("drop schema if exists reverso cascade; drop schema if exists reverso_archive cascade;"
                + " drop schema public cascade; create schema public");
        db.execute(NO_KEY.ddl());
        db.execute(NO_KEY.fill());
        new MigrationsDir(dir).write("0001_destroy.up.sql", "update events set payload = null where at = 1;");
        Reverso reverso = Reverso.with(ReversoConfig.of(db.url(), dir));
        assertThat(reverso.plan(Optional.empty()).migrations().get(0).statements().get(0).archive())
                .isEqualTo("not archived: events has no key, so the rows an UPDATE changes cannot be found again");
        reverso.up(Optional.empty());
        dev.reverso.RollbackPlan plan = reverso.rollbackPlan(new DownTarget.Count(1));
        assertThat(plan.verdict()).isEqualTo(dev.reverso.RollbackPlan.Verdict.IMPOSSIBLE);
        assertThat(plan.migrations().get(0).steps().get(0).detail()).contains("the table has no key");
    }
}
