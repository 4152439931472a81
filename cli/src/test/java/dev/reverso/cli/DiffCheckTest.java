package dev.reverso.cli;

import dev.reverso.testing.MigrationsDir;
import dev.reverso.testing.ScratchDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** diff between two real databases, and check --roundtrip on a scratch one. */
class DiffCheckTest {

    static ScratchDatabase staging;
    static ScratchDatabase production;

    @TempDir
    Path dir;

    @BeforeAll
    static void createDatabases() {
        staging = ScratchDatabase.create(DiffCheckTest.class);
        production = ScratchDatabase.create(DiffCheckTest.class);
        String common = "create extension if not exists pgcrypto; create type mood as enum ('ok', 'sad');"
                + " create table users (id bigserial primary key, email text not null, mood mood default 'ok');"
                + " create view active as select id, email from users;"
                + " create function touch() returns trigger language plpgsql as $$ begin return new; end $$;"
                + " create trigger users_touch before update on users for each row execute function touch();";
        staging.execute(common + " create index users_email_idx on users (email); alter table users alter column email set default ''");
        production.execute(common);
    }

    @AfterAll
    static void dropDatabases() {
        staging.close();
        production.close();
    }

    @Test
    void diffNamesEachObjectThatDiffersAndExitsOne() {
        Cli.Outcome out = Cli.run("--url", staging.jdbcUrl(), "diff", "--against", production.jdbcUrl());
        assertThat(out.exit()).isEqualTo(ExitCode.CHECK_FAILED);
        assertThat(out.out()).contains("- index public.users_email_idx: only in A")
                .contains("~ column public.users.email: A has text not null default ''::text; B has text not null")
                .contains("2 differences");
        Cli.Outcome same = Cli.run("--url", production.jdbcUrl(), "diff", "--against", production.jdbcUrl());
        assertThat(same.exit()).isEqualTo(ExitCode.DONE);
        assertThat(same.out()).contains("same schema");
    }

    @Test
    void roundtripReportsTheDownThatDoesNotRestoreTheSchema() {
        new MigrationsDir(dir)
                .pair("0001_orders", "create table orders (id bigint primary key, total numeric not null);", "drop table orders;")
                .pair("0002_note", "alter table orders add column note text; create index orders_note_idx on orders (note);",
                        "drop index orders_note_idx;");
        Cli.Outcome out = Cli.run("--url", production.jdbcUrl(), "--dir", dir.toString(), "check", "--roundtrip");
        assertThat(out.exit()).isEqualTo(ExitCode.CHECK_FAILED);
        assertThat(out.out()).contains("ok    1_orders").contains("FAIL  2_note: down does not restore the schema before up")
                .contains("+ column public.orders.note: only in after down (text)").contains("(dropped)");
        assertThat(production.value("select count(*) from pg_database where datname like 'reverso_roundtrip_%'")).isEqualTo("0");
        assertThat(production.tableExists("orders")).isFalse();
    }
}
