package dev.reverso.ops;

import dev.reverso.Reverso;
import dev.reverso.ReversoConfig;
import dev.reverso.ReversoException;
import dev.reverso.RunResult;
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

/** Operation migrations end to end: start serves both versions, complete contracts, rollback undoes. */
class ExpandContractTest {

    static ScratchDatabase db;

    @TempDir
    Path dir;
    MigrationsDir files;
    Reverso reverso;

    @BeforeAll
    static void createDatabase() {
        db = ScratchDatabase.create(ExpandContractTest.class);
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    @BeforeEach
    void reset() {
        db.resetSchemas();
        db.execute("create table public.users (id bigserial primary key, name text not null, bio text);"
                + " insert into public.users (name, bio) select 'User' || g, case when g % 3 = 0 then null else 'bio ' || g end"
                + " from generate_series(1, 2500) g;");
        files = new MigrationsDir(dir);
        reverso = Reverso.with(ReversoConfig.of(db.url(), dir).withBackfill(new BackfillSettings(700, java.time.Duration.ZERO)));
    }

    @Test
    void addColumnServesBothVersionsThenCompletes() {
        files.write("0002_add_email.json", """
                {"name": "0002_add_email", "operations": [
                  {"add_column": {"table": "users", "up": "lower(name) || '@example.com'",
                    "column": {"name": "email", "type": "text", "nullable": false, "unique": true}}}
                ]}""");

        ExpandContract.Started started = reverso.start("2");

        assertThat(started.versionSchema()).isEqualTo("public_0002_add_email");
        assertThat(reverso.latest()).isEqualTo("public_0002_add_email");
        // Existing rows were backfilled from up; the old version (the table) does not show email.
        assertThat(db.value("select count(*) from public_0002_add_email.users where email = lower(name) || '@example.com'"))
                .isEqualTo("2500");
        assertThat(db.column("select column_name from information_schema.columns where table_schema = 'public'"
                + " and table_name = 'users' order by ordinal_position")).containsExactly("id", "name", "bio", "_reverso_new_email");
        // A write through the old version fills the new column from up; one through the new version keeps its value.
        db.execute("insert into public.users (name) values ('Old Writer')");
        db.execute("set search_path = public_0002_add_email; insert into users (name, email) values ('New Writer', 'nw@x.org');"
                + " reset search_path");
        assertThat(db.value("select email from public_0002_add_email.users where name = 'Old Writer'"))
                .isEqualTo("old writer@example.com");
        assertThat(db.value("select email from public_0002_add_email.users where name = 'New Writer'")).isEqualTo("nw@x.org");

        reverso.complete();

        assertThat(db.value("select is_nullable from information_schema.columns where table_schema = 'public'"
                + " and table_name = 'users' and column_name = 'email'")).isEqualTo("NO");
        assertThat(db.value("select count(*) from pg_constraint where conname = 'users_email_key'")).isEqualTo("1");
        assertThat(db.value("select count(*) from pg_trigger where tgrelid = 'public.users'::regclass and not tgisinternal"))
                .isEqualTo("0");
        // The new version's schema stays: applications pointed at it keep working.
        assertThat(db.value("select email from public_0002_add_email.users where name = 'New Writer'")).isEqualTo("nw@x.org");
        assertThat(reverso.latest()).isEqualTo("public_0002_add_email");
    }

    @Test
    void rollbackLeavesTheOldVersionExactlyAsItWas() {
        String before = db.value("select md5(string_agg(u::text, ',' order by id)) from public.users u");
        files.write("0002_change.yaml", """
                name: change
                operations:
                  - alter_column:
                      table: users
                      column: bio
                      type: varchar(200)
                      nullable: false
                      up: "coalesce(bio, 'none')"
                      down: "bio"
                  - create_index: {name: users_name_idx, table: users, columns: [name]}
                """);

        reverso.start("2");
        assertThat(db.value("select count(*) from public_0002_change.users where bio = 'none'")).isEqualTo("833");

        reverso.rollback();

        assertThat(db.value("select md5(string_agg(u::text, ',' order by id)) from public.users u")).isEqualTo(before);
        assertThat(db.column("select column_name from information_schema.columns where table_schema = 'public'"
                + " and table_name = 'users' order by ordinal_position")).containsExactly("id", "name", "bio");
        assertThat(db.value("select count(*) from pg_namespace where nspname = 'public_0002_change'")).isEqualTo("0");
        assertThat(db.value("select count(*) from pg_class where relname = 'users_name_idx'")).isEqualTo("0");
        assertThat(db.value("select count(*) from pg_proc where proname like '\\_reverso%'")).isEqualTo("0");
        assertThat(db.value("select state from reverso.migrations where version = '2'")).isEqualTo("rolled_back");
    }

    @Test
    void alterColumnTypeChangeCompletesWithTheNewType() {
        db.execute("create index users_bio_idx on public.users (bio); alter table public.users add constraint bio_len check (length(bio) < 100)");
        files.write("0002_bio_type.json", """
                {"operations": [{"alter_column": {"table": "users", "column": "bio", "type": "varchar(200)",
                  "up": "bio", "down": "bio"}}]}""");

        RunResult result = reverso.up(Optional.empty());

        assertThat(result.migrations()).hasSize(1);
        assertThat(db.value("select format_type(atttypid, atttypmod) from pg_attribute where attrelid = 'public.users'::regclass"
                + " and attname = 'bio'")).isEqualTo("character varying(200)");
        assertThat(db.value("select count(*) from public.users where bio is not null")).isEqualTo("1667");
        assertThat(db.value("select pg_get_indexdef('public.users_bio_idx'::regclass)")).contains("(bio)");
        assertThat(db.value("select pg_get_constraintdef(oid) from pg_constraint where conname = 'bio_len'")).contains("bio");
    }

    @Test
    void invalidDocumentsAreRefusedWithTheirPathBeforeAnythingChanges() {
        files.write("0002_bad.json", """
                {"operations": [{"add_column": {"table": "users", "column": {"name": "x", "type": "no_such_type", "nullable": true}}}]}""");
        assertThatThrownBy(() -> reverso.start("2")).isInstanceOf(ReversoException.class)
                .hasMessageContaining("$.operations[0].add_column.column.type").hasMessageContaining("no_such_type");
        files.write("0002_bad.json", """
                {"operations": [{"drop_column": {"table": "users", "column": "nope"}}]}""");
        assertThatThrownBy(() -> reverso.start("2")).hasMessageContaining("$.operations[0].drop_column.column")
                .hasMessageContaining("column nope does not exist");
        files.write("0002_bad.json", """
                {"operations": [{"add_colum": {"table": "users"}}]}""");
        assertThatThrownBy(() -> reverso.start("2")).hasMessageContaining("$.operations[0].add_colum: unknown operation");
        files.write("0002_bad.json", """
                {"operations": [{"add_column": {"table": "users", "column": {"name": "x", "type": "int"}}}]}""");
        assertThatThrownBy(() -> reverso.start("2")).hasMessageContaining("$.operations[0].add_column.up")
                .hasMessageContaining("NOT NULL column without a default needs an up");
        assertThat(db.value("select count(*) from reverso.migrations")).isEqualTo("0");
        assertThat(db.column("select column_name from information_schema.columns where table_schema = 'public'"
                + " and table_name = 'users' order by ordinal_position")).containsExactly("id", "name", "bio");
    }
}
