package dev.reverso.archive;

import dev.reverso.DownTarget;
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
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An archive depends on none of the application's types: the migration that drops a type
 * after dropping or converting its column runs, and the down puts the values back in the type.
 * (Found on Lemmy's history: the enum change pattern failed on the archive's copy.)
 */
class ArchiveTypesTest {

    static ScratchDatabase db;

    @TempDir
    Path dir;
    MigrationsDir files;
    Reverso reverso;

    @BeforeAll
    static void createDatabase() {
        db = ScratchDatabase.create(ArchiveTypesTest.class);
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
        reverso = Reverso.with(ReversoConfig.of(db.url(), dir));
        db.execute("create type mood as enum ('sad', 'ok', 'happy'); create domain score as int check (value >= 0)");
    }

    private void table(int rows) {
        db.execute("create table people (id int primary key, feeling mood, points score, secret text)");
        db.execute("insert into people select g, (array['sad','ok','happy'])[1 + g % 3]::mood, g, 's' || g"
                + " from generate_series(1, " + rows + ") g");
        db.execute("analyze people");
    }

    @Test
    void aColumnAndItsEnumDroppedTogetherComeBackTogether() {
        table(100);
        files.pair("0001_drop_feeling", "alter table people drop column feeling;\ndrop type mood;",
                "create type mood as enum ('sad', 'ok', 'happy');\nalter table people add column feeling mood;");
        reverso.up(Optional.empty());
        reverso.down(new DownTarget.Count(1));
        assertThat(db.value("select count(*) from people where feeling = (array['sad','ok','happy'])[1 + id % 3]::mood"))
                .isEqualTo("100");
    }

    @Test
    void anEnumConvertedToTextAndDroppedComesBackAsTheEnum() {
        table(100);
        files.pair("0001_feeling_text", "alter table people alter column feeling type text;\ndrop type mood;",
                "create type mood as enum ('sad', 'ok', 'happy');\n"
                        + "alter table people alter column feeling type mood using feeling::mood;");
        reverso.up(Optional.empty());
        reverso.down(new DownTarget.Count(1));
        assertThat(db.value("select format_type(atttypid, atttypmod) from pg_attribute where attrelid = 'people'::regclass"
                + " and attname = 'feeling'")).isEqualTo("mood");
        assertThat(db.value("select count(*) from people where feeling = (array['sad','ok','happy'])[1 + id % 3]::mood"))
                .isEqualTo("100");
    }

    @Test
    void aLargeColumnCopiedAheadIsIndependentOfItsDomainToo() {
        table(25000);
        files.pair("0001_drop_points", "alter table people drop column points;\ndrop domain score;",
                "create domain score as int check (value >= 0);\nalter table people add column points score;");
        reverso.up(Optional.empty());
        reverso.down(new DownTarget.Count(1));
        assertThat(db.value("select count(*) from people where points = id")).isEqualTo("25000");
    }

    @Test
    void anUpdatesArchiveHoldsTheKeyAndTheColumnsItSetsNothingElse() {
        table(10);
        files.pair("0001_cheer_up", "update people set feeling = 'happy' where id <= 5;", "select 1;");
        reverso.up(Optional.empty());
        String archive = db.value("select archive_table from reverso.archives");
        assertThat(db.value("select string_agg(attname, ',' order by attnum) from pg_attribute where attrelid = "
                + "('reverso_archive.' || quote_ident('" + archive + "'))::regclass and attnum > 0")).isEqualTo("id,feeling");
        reverso.down(new DownTarget.Count(1));
        assertThat(db.value("select count(*) from people where feeling = (array['sad','ok','happy'])[1 + id % 3]::mood"))
                .isEqualTo("10");
    }

    @Test
    void rowsDeletedFromATableOfEnumsComeBack() {
        table(20);
        files.pair("0001_forget_sad", "delete from people where feeling = 'sad';", "select 1;");
        reverso.up(Optional.empty());
        reverso.down(new DownTarget.Count(1));
        assertThat(db.value("select count(*) from people where feeling = (array['sad','ok','happy'])[1 + id % 3]::mood"))
                .isEqualTo("20");
    }

    @Test
    void aDroppedTableLetsItsTypesAndFunctionsBeDroppedNextAndComesBackWithThem() {
        db.execute("create function initial(t text) returns text immutable language sql as $$ select left(t, 1) $$");
        db.execute("create table people (id serial primary key, feeling mood not null default 'ok', points score,"
                + " name text check (length(name) > 0))");
        db.execute("create index people_feeling on people (feeling); create index people_initial on people (initial(name));"
                + " create index people_name on people (name)");
        db.execute("insert into people (feeling, points, name) select (array['ok','happy'])[1 + g % 2]::mood, g, 'p' || g"
                + " from generate_series(1, 50) g");
        db.execute("alter table people add constraint cheerful check (feeling <> 'sad') not valid");
        // No down of its own: the down Reverso derives moves the table back, after the next
        // migration's down has made the types and the function again.
        files.pair("0001_drop_people", "drop table people;", null)
                .pair("0002_drop_types", "drop type mood;\ndrop domain score;\ndrop function initial(text);",
                "create type mood as enum ('sad', 'ok', 'happy');\ncreate domain score as int check (value >= 0);\n"
                        + "create function initial(t text) returns text immutable language sql as $$ select left(t, 1) $$;");
        reverso.up(Optional.empty());
        assertThat(db.value("select count(*) from pg_type where typname = 'mood'")).isEqualTo("0");

        reverso.down(new DownTarget.Count(2));

        assertThat(db.value("select count(*) from people where feeling = (array['ok','happy'])[1 + id % 2]::mood and points = id"))
                .isEqualTo("50");
        assertThat(db.value("select format_type(atttypid, atttypmod) from pg_attribute where attrelid = 'people'::regclass"
                + " and attname = 'feeling'")).isEqualTo("mood");
        assertThat(db.value("select pg_get_expr(adbin, adrelid) from pg_attrdef where adrelid = 'people'::regclass and adnum = 2"))
                .isEqualTo("'ok'::mood");
        assertThat(db.value("select string_agg(conname || ':' || convalidated, ',' order by conname) from pg_constraint"
                + " where conrelid = 'people'::regclass and contype = 'c'")).isEqualTo("cheerful:false,people_name_check:true");
        assertThat(db.value("select string_agg(indexname, ',' order by indexname) from pg_indexes where tablename = 'people'"))
                .isEqualTo("people_feeling,people_initial,people_name,people_pkey");
        db.execute("insert into people (name) values ('new')");
        assertThat(db.value("select id from people where name = 'new'")).isEqualTo("51");
    }
}
