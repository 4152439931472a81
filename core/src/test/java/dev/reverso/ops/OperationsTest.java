package dev.reverso.ops;

import dev.reverso.Reverso;
import dev.reverso.ReversoConfig;
import dev.reverso.ReversoException;
import dev.reverso.testing.MigrationsDir;
import dev.reverso.testing.ScratchDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each operation: what the new version shows while started, what complete leaves, what rollback restores. */
class OperationsTest {

    static ScratchDatabase db;

    @TempDir
    Path dir;
    MigrationsDir files;
    Reverso reverso;
    int next = 2;

    @BeforeAll
    static void createDatabase() {
        db = ScratchDatabase.create(OperationsTest.class);
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
    }

    @BeforeEach
    void reset() {
        db.resetSchemas();
        db.execute("create table public.teams (id int primary key, name text not null);"
                + " insert into public.teams values (1, 'red'), (2, 'blue');"
                + " create table public.players (id int primary key, team_id int, nick text, score int default 0,"
                + "   constraint nick_len check (length(nick) < 50));"
                + " create index players_nick_idx on public.players (nick);"
                + " insert into public.players select g, 1 + g % 2, 'p' || g, g from generate_series(1, 300) g;");
        files = new MigrationsDir(dir);
        reverso = Reverso.with(ReversoConfig.of(db.url(), dir));
    }

    /** Writes the next migration with these operations and starts it; returns its version schema. */
    private String start(String operations) {
        int v = next++;
        files.write(String.format("%04d_m%d.json", v, v), "{\"operations\": [" + operations + "]}");
        return reverso.start(Integer.toString(v)).versionSchema();
    }

    private List<String> columns(String schema, String table) {
        return db.column("select column_name from information_schema.columns where table_schema = '" + schema
                + "' and table_name = '" + table + "' order by ordinal_position");
    }

    @Test
    void createTableWithAnIndexAndForeignKey() {
        String vs = start("""
                {"create_table": {"name": "matches", "comment": "games played", "columns": [
                  {"name": "id", "type": "bigserial", "pk": true},
                  {"name": "team_id", "type": "int", "references": {"name": "matches_team_fk", "table": "teams", "column": "id"}},
                  {"name": "played_at", "type": "timestamptz", "nullable": true, "default": "now()"}]}},
                {"create_index": {"name": "matches_team_idx", "table": "matches", "columns": ["team_id"]}}""");
        db.execute("insert into " + vs + ".matches (team_id) values (1)");
        assertThat(columns(vs, "matches")).containsExactly("id", "team_id", "played_at");
        reverso.complete();
        assertThat(db.value("select count(*) from public.matches where played_at is not null")).isEqualTo("1");
        assertThat(db.value("select obj_description('public.matches'::regclass)")).isEqualTo("games played");
        assertThat(db.value("select indisvalid::text from pg_index where indexrelid = 'public.matches_team_idx'::regclass")).isEqualTo("true");
        assertThatThrownBy(() -> db.execute("insert into public.matches (team_id) values (9)")).hasMessageContaining("matches_team_fk");
    }

    @Test
    void dropColumnHidesItAndFillsItFromDownUntilComplete() {
        String vs = start("""
                {"drop_column": {"table": "players", "column": "score", "down": "0 - 1"}}""");
        assertThat(columns(vs, "players")).containsExactly("id", "team_id", "nick");
        db.execute("set search_path = " + vs + "; insert into players (id, team_id, nick) values (1000, 1, 'new'); reset search_path");
        assertThat(db.value("select score from public.players where id = 1000")).isEqualTo("-1");
        reverso.complete();
        assertThat(columns("public", "players")).containsExactly("id", "team_id", "nick");
    }

    @Test
    void renamesShowAtOnceInTheNewVersionAndHappenOnComplete() {
        String vs = start("""
                {"rename_column": {"table": "players", "from": "nick", "to": "handle"}},
                {"rename_table": {"from": "players", "to": "members"}},
                {"rename_constraint": {"table": "members", "from": "nick_len", "to": "handle_len"}}""");
        assertThat(columns(vs, "members")).containsExactly("id", "team_id", "handle", "score");
        assertThat(columns("public", "players")).containsExactly("id", "team_id", "nick", "score");
        db.execute("update " + vs + ".members set handle = 'renamed' where id = 1");
        reverso.complete();
        assertThat(db.value("select handle from public.members where id = 1")).isEqualTo("renamed");
        assertThat(db.value("select count(*) from pg_constraint where conname = 'handle_len'")).isEqualTo("1");
        assertThat(db.value("select handle from " + vs + ".members where id = 1")).isEqualTo("renamed");
    }

    @Test
    void dropTableAndDropIndexWaitForComplete() {
        db.execute("create table public.scratch (id int primary key)");
        String vs = start("""
                {"drop_table": {"name": "scratch"}}, {"drop_index": {"name": "players_nick_idx"}}""");
        assertThat(db.value("select count(*) from information_schema.views where table_schema = '" + vs + "' and table_name = 'scratch'")).isEqualTo("0");
        assertThat(db.tableExists("scratch")).isTrue();
        reverso.complete();
        assertThat(db.tableExists("scratch")).isFalse();
        assertThat(db.value("select to_regclass('public.players_nick_idx')")).isNull();
    }

    @Test
    void createConstraintsAreAddedNotValidAndValidatedOnComplete() {
        start("""
                {"create_constraint": {"table": "players", "name": "score_positive", "type": "check", "check": "score >= 0",
                  "up": {}, "down": {}}},
                {"create_constraint": {"table": "players", "name": "players_team_fk", "type": "foreign_key", "columns": ["team_id"],
                  "references": {"table": "teams", "columns": ["id"], "on_delete": "CASCADE"}, "up": {}, "down": {}}},
                {"create_constraint": {"table": "players", "name": "players_nick_key", "type": "unique", "columns": ["nick"],
                  "up": {}, "down": {}}}""");
        assertThat(db.column("select conname || ':' || convalidated from pg_constraint where conrelid = 'public.players'::regclass"
                + " and conname in ('score_positive', 'players_team_fk') order by 1")).containsExactly(
                "players_team_fk:false", "score_positive:false");
        reverso.complete();
        assertThat(db.column("select conname || ':' || convalidated from pg_constraint where conrelid = 'public.players'::regclass"
                + " order by 1")).contains("players_nick_key:true", "players_team_fk:true", "score_positive:true");
    }

    @Test
    void dropConstraintSqlAndReplicaIdentityRollBackCleanly() {
        start("""
                {"drop_constraint": {"table": "players", "name": "nick_len", "up": "nick", "down": "nick"}},
                {"set_replica_identity": {"table": "players", "identity": {"type": "full"}}},
                {"sql": {"up": "create table public.audit_log (id int)", "down": "drop table public.audit_log"}}""");
        assertThat(db.value("select relreplident from pg_class where oid = 'public.players'::regclass")).isEqualTo("f");
        assertThat(db.tableExists("audit_log")).isTrue();
        reverso.rollback();
        assertThat(db.value("select relreplident from pg_class where oid = 'public.players'::regclass")).isEqualTo("d");
        assertThat(db.tableExists("audit_log")).isFalse();
        assertThat(db.value("select count(*) from pg_constraint where conname = 'nick_len'")).isEqualTo("1");
    }

    @Test
    void alterColumnSettingsDuplicateTheColumnAndKeepItsIndexAndCheck() {
        String vs = start("""
                {"alter_column": {"table": "players", "column": "team_id", "nullable": false,
                  "references": {"name": "players_team_fk", "table": "teams", "column": "id"},
                  "up": "coalesce(team_id, 1)", "down": "team_id"}},
                {"alter_column": {"table": "players", "column": "score", "default": "10", "comment": "points"}},
                {"alter_column": {"table": "players", "column": "nick", "unique": {"name": "players_nick_key"},
                  "check": {"name": "nick_lower", "constraint": "nick = lower(nick)"}, "up": "lower(nick)", "down": "nick"}}""");
        db.execute("insert into public.players (id, team_id, nick) values (500, null, 'OLD')");
        assertThat(db.value("select team_id || ':' || nick from " + vs + ".players where id = 500")).isEqualTo("1:old");
        reverso.complete();
        assertThat(db.value("select attnotnull::text from pg_attribute where attrelid = 'public.players'::regclass and attname = 'team_id'"))
                .isEqualTo("true");
        assertThat(db.column("select conname from pg_constraint where conrelid = 'public.players'::regclass order by 1"))
                .containsExactly("nick_len", "nick_lower", "players_nick_key", "players_pkey", "players_team_fk");
        assertThat(db.value("select pg_get_indexdef('public.players_nick_idx'::regclass)")).contains("(nick)");
        assertThat(db.value("select col_description('public.players'::regclass, 4)")).isEqualTo("points");
        db.execute("insert into public.players (id, team_id, nick) values (501, 2, 'x')");
        assertThat(db.value("select score from public.players where id = 501")).isEqualTo("10");
    }

    @Test
    void aTableWithoutAKeyCannotBeBackfilledAndSaysSo() {
        db.execute("create table public.loose (a int, b text); insert into public.loose values (1, 'x')");
        assertThatThrownBy(() -> start("""
                {"add_column": {"table": "loose", "up": "upper(b)", "column": {"name": "c", "type": "text", "nullable": true}}}"""))
                .isInstanceOf(ReversoException.class)
                .hasMessageContaining("$.operations[0].add_column")
                .hasMessageContaining("no primary key and no unique index on NOT NULL columns");
    }

    @Test
    void onlyOneOperationMigrationAtATime() {
        start("""
                {"add_column": {"table": "players", "column": {"name": "a", "type": "int", "nullable": true}}}""");
        assertThatThrownBy(() -> start("""
                {"add_column": {"table": "players", "column": {"name": "b", "type": "int", "nullable": true}}}"""))
                .hasMessageContaining("operation migration 2 is started; complete it or roll it back before starting 3");
        assertThatThrownBy(() -> reverso.up(java.util.Optional.empty())).hasMessageContaining("run reverso complete");
        reverso.complete();
        String vs3 = reverso.start("3").versionSchema();
        // The previous version's schema lives until this one completes.
        assertThat(db.value("select count(*) from pg_namespace where nspname = 'public_0002_m2'")).isEqualTo("1");
        assertThat(columns(vs3, "players")).contains("a", "b");
        reverso.complete();
        assertThat(db.value("select count(*) from pg_namespace where nspname = 'public_0002_m2'")).isEqualTo("0");
        assertThat(reverso.latest()).isEqualTo("public_0003_m3");
    }

    @Test
    void downRefusesAnOperationMigrationRatherThanSkipIt() {
        start("""
                {"add_column": {"table": "players", "column": {"name": "a", "type": "int", "nullable": true}}}""");
        reverso.complete();
        assertThatThrownBy(() -> reverso.down(new dev.reverso.DownTarget.Count(1)))
                .hasMessageContaining("cannot roll back 2_m2: it is an operation migration (completed)");
        assertThat(columns("public", "players")).contains("a");
    }

    @Test
    void startWaitsPolitelyForALockHeldByAnotherSession() throws Exception {
        java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
        Thread report = new Thread(() -> {
            try (java.sql.Connection c = db.connect()) {
                c.setAutoCommit(false);
                try (java.sql.Statement st = c.createStatement()) {
                    st.execute("select count(*) from public.players");
                    held.countDown();
                    Thread.sleep(1500);
                }
                c.rollback();
            } catch (Exception e) {
                held.countDown();
            }
        });
        report.start();
        held.await();
        String vs = start("""
                {"add_column": {"table": "players", "up": "nick || '!'", "column": {"name": "shout", "type": "text", "nullable": true}}}""");
        report.join();
        assertThat(columns(vs, "players")).contains("shout");
        assertThat(Integer.parseInt(db.value("select count(*) from reverso.audit where action = 'lock retry'"))).isGreaterThan(0);
    }

    @Test
    void planShowsEachPhaseWithItsLocksAndChangesNothing() {
        files.write("0002_shout.json", """
                {"operations": [{"add_column": {"table": "players", "up": "upper(nick)",
                  "column": {"name": "shout", "type": "text", "nullable": false}}}]}""");
        dev.reverso.PlanReport report = reverso.plan(java.util.Optional.empty());
        dev.reverso.PlanReport.PlannedMigration m = report.migrations().get(0);
        assertThat(m.checked()).contains("start runs 5 steps, complete 3, rollback 3");
        assertThat(m.statements()).extracting(dev.reverso.PlanReport.PlannedStatement::sql)
                .anyMatch(s -> s.startsWith("start 4: backfill players"))
                .anyMatch(s -> s.startsWith("complete 1: ALTER TABLE public.players VALIDATE CONSTRAINT"));
        assertThat(columns("public", "players")).containsExactly("id", "team_id", "nick", "score");
        assertThat(db.value("select count(*) from pg_namespace where nspname like 'public\\_%'")).isEqualTo("0");
    }

    @Test
    void createTableTakesTableConstraintsAndDropMulticolumnConstraintIsRead() {
        db.execute("alter table public.players add constraint team_nick unique (team_id, nick)");
        String vs = start("""
                {"create_table": {"name": "scores", "columns": [
                  {"name": "player_id", "type": "int"}, {"name": "round", "type": "int"}, {"name": "points", "type": "int"}],
                  "constraints": [
                    {"name": "scores_pk", "type": "primary_key", "columns": ["player_id", "round"]},
                    {"name": "scores_points", "type": "check", "check": "points >= 0"},
                    {"name": "scores_player_fk", "type": "foreign_key", "columns": ["player_id"],
                     "references": {"table": "players", "columns": ["id"], "on_delete": "CASCADE"}}]}},
                {"drop_multicolumn_constraint": {"table": "players", "name": "team_nick", "up": {}, "down": {}}}""");
        assertThat(columns(vs, "scores")).containsExactly("player_id", "round", "points");
        reverso.complete();
        assertThat(db.column("select conname from pg_constraint where conrelid = 'public.scores'::regclass order by 1"))
                .containsExactly("scores_pk", "scores_player_fk", "scores_points");
        assertThat(db.value("select count(*) from pg_constraint where conname = 'team_nick'")).isEqualTo("0");
    }

    @Test
    void unusualIdentifiersAreQuotedEverywhere() {
        db.execute("create table public.\"Order Items\" (\"Item Id\" int primary key, \"Unit \"\"Price\"\"\" numeric, \"user\" text);"
                + " insert into public.\"Order Items\" select g, g * 1.5, 'u' || g from generate_series(1, 50) g");
        String vs = start("""
                {"add_column": {"table": "Order Items", "up": "\\"Unit \\"\\"Price\\"\\"\\" * 2",
                  "column": {"name": "Total Price", "type": "numeric", "nullable": false}}},
                {"alter_column": {"table": "Order Items", "column": "user", "type": "varchar(40)", "up": "upper(\\"user\\")",
                  "down": "lower(\\"user\\")"}},
                {"rename_column": {"table": "Order Items", "from": "Item Id", "to": "Line"}}""");
        db.execute("update public.\"Order Items\" set \"Unit \"\"Price\"\"\" = 10, \"user\" = 'x' where \"Item Id\" = 1");
        assertThat(db.value("select \"Total Price\" || ':' || \"user\" from " + vs + ".\"Order Items\" where \"Line\" = 1"))
                .isEqualTo("20:X");
        reverso.complete();
        assertThat(columns("public", "Order Items")).containsExactly("Line", "Unit \"Price\"", "Total Price", "user");
        assertThat(db.value("select count(*) from public.\"Order Items\" where \"Total Price\" is null")).isEqualTo("0");
    }

    @Test
    void theVersionSchemaCarriesTheTablesGrants() {
        String role = "reverso_app_" + Long.toString(System.nanoTime() % 1_000_000, 36);
        db.execute("create role " + role + "; grant usage on schema public to " + role + ";"
                + " grant select, update on public.players to " + role);
        try {
            String vs = start("""
                    {"add_column": {"table": "players", "column": {"name": "flag", "type": "boolean", "nullable": true}}}""");
            assertThat(db.value("select has_schema_privilege('" + role + "', '" + vs + "', 'USAGE')::text")).isEqualTo("true");
            assertThat(db.value("select has_table_privilege('" + role + "', '" + vs + ".players', 'UPDATE')::text")).isEqualTo("true");
            assertThat(db.value("select has_table_privilege('" + role + "', '" + vs + ".players', 'DELETE')::text")).isEqualTo("false");
            assertThat(db.value("select has_table_privilege('" + role + "', '" + vs + ".teams', 'SELECT')::text")).isEqualTo("false");
            reverso.rollback();
        } finally {
            db.execute("drop owned by " + role + "; drop role " + role);
        }
    }

    @Test
    void rawSqlThePlanCannotSeeIsInTheVersionSchemaAfterComplete() {
        String vs = start("""
                {"sql": {"up": "create table public.badges (id int primary key, label text)", "down": "drop table public.badges"}},
                {"add_column": {"table": "players", "column": {"name": "rank", "type": "int", "nullable": true}}}""");
        reverso.complete();
        assertThat(columns(vs, "badges")).containsExactly("id", "label");
        assertThat(columns(vs, "players")).containsExactly("id", "team_id", "nick", "score", "rank");
        db.execute("insert into " + vs + ".badges values (1, 'gold')");
        assertThat(db.value("select label from public.badges")).isEqualTo("gold");
    }
}
