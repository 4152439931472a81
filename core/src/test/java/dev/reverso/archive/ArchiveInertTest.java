package dev.reverso.archive;

import dev.reverso.DatabaseUrl;
import dev.reverso.DownTarget;
import dev.reverso.Event;
import dev.reverso.Reverso;
import dev.reverso.ReversoConfig;
import dev.reverso.ReversoException;
import dev.reverso.RollbackPlan;
import dev.reverso.testing.MigrationsDir;
import dev.reverso.testing.ScratchDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The archive changes neither what a migration does nor what the application's statements do:
 * DROP TABLE keeps its IF EXISTS / CASCADE / RESTRICT meaning, an archived table is inert (no
 * foreign keys, triggers, rules or policies), archives are readable by no one who could not read
 * the original, rows hidden by row-level security are archived or the entry says they were not,
 * an archive schema or table owned by a stranger is not trusted, and views CASCADE drops come back.
 */
class ArchiveInertTest {

    static ScratchDatabase db;

    /** Roles are per server: named after the scratch database, so parallel test runs do not share them. */
    static String migrator;
    static String reader;
    static String stranger;

    @TempDir
    Path dir;
    MigrationsDir files;
    Reverso reverso;
    final List<Event> events = new ArrayList<>();

    @BeforeAll
    static void createDatabase() {
        db = ScratchDatabase.create(ArchiveInertTest.class);
        String suffix = db.name().substring(db.name().lastIndexOf('_') + 1);
        migrator = "inert_mig_" + suffix;
        reader = "inert_read_" + suffix;
        stranger = "inert_other_" + suffix;
        db.execute("create role " + migrator + " login; create role " + reader + " login in role pg_read_all_data;"
                + " create role " + stranger + " login");
    }

    @AfterAll
    static void dropDatabase() {
        db.close();
        dropRoles();
    }

    private static void dropRoles() {
        try (Connection c = new dev.reverso.Database(ScratchDatabase.server(), "reverso-test").connect();
             var st = c.createStatement()) {
            st.execute("drop role if exists " + migrator + ", " + reader + ", " + stranger);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeEach
    void reset() {
        db.execute("drop schema if exists reverso cascade; drop schema if exists reverso_archive cascade;"
                + " drop schema public cascade; create schema public; grant all on schema public to public;"
                // DROP OWNED, after each test, revokes what was granted to the roles too.
                + " grant create on database " + db.name() + " to " + migrator);
        files = new MigrationsDir(dir);
        events.clear();
        reverso = Reverso.with(ReversoConfig.of(db.url(), dir).withListener(events::add));
    }

    @AfterEach
    void dropWhatRolesOwn() {
        db.execute("drop schema if exists reverso cascade; drop schema if exists reverso_archive cascade;"
                + " drop owned by " + migrator + ", " + reader + ", " + stranger);
    }

    private Reverso as(String role) {
        return Reverso.with(ReversoConfig.of(DatabaseUrl.parse(db.url().jdbcUrl().replace("user=postgres", "user=" + role)), dir)
                .withListener(events::add));
    }

    private static String checksum(String table) {
        return db.value("select md5(coalesce(string_agg(t::text, ',' order by t::text), '')) from " + table + " t");
    }

    private static List<String> archiveTables() {
        return db.column("select format('%I.%I', schemaname, tablename) from pg_tables where schemaname = 'reverso_archive'"
                + " order by tablename");
    }

    /** What a role reads of a table: its row count, or the error. */
    private static String countAs(String role, String table) {
        try (Connection c = DriverManager.getConnection(db.url().jdbcUrl().replace("user=postgres", "user=" + role));
             var st = c.createStatement(); ResultSet rs = st.executeQuery("select count(*) from " + table)) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            return "error: " + e.getMessage();
        }
    }

    private static String archiveOf(String sourceTable) {
        return "reverso_archive." + db.value("select archive_table from reverso.archives where source_table = '" + sourceTable
                + "' and archive_table is not null order by id desc limit 1");
    }

    // 1. IF EXISTS, CASCADE and RESTRICT mean what they mean to PostgreSQL.

    @Test
    void dropTableIfExistsOfAMissingTableSucceedsAndKeepsItsMeaning() {
        db.execute("create table present (id int primary key); insert into present values (1), (2)");
        files.pair("0001_drop", "DROP TABLE IF EXISTS no_such_table;\n"
                + "drop table if exists also_missing, present cascade;", "create table present (id int primary key);");
        reverso.up(Optional.empty());
        assertThat(db.tableExists("present")).isFalse();
        assertThat(db.value("select count(*) from reverso.archives where kind = 'table' and archive_table is not null")).isEqualTo("1");
        assertThat(reverso.rollbackPlan(new DownTarget.Count(1)).verdict()).isEqualTo(RollbackPlan.Verdict.SAFE_WITH_RESTORE);

        reverso.down(new DownTarget.Count(1));
        assertThat(db.value("select count(*) from present")).isEqualTo("2");
    }

    @Test
    void dropTableOfAMissingTableStillFailsAsPostgresqlSaysAndRestrictStillRefuses() {
        db.execute("create table parent (id int primary key); create table child (id int, parent_id int references parent)");
        files.write("0001_missing.up.sql", "drop table no_such_table;");
        assertThatThrownBy(() -> reverso.up(Optional.empty())).isInstanceOf(ReversoException.class)
                .hasMessageContaining("table \"no_such_table\" does not exist");
        files.delete("0001_missing.up.sql").write("0001_restrict.up.sql", "drop table parent restrict;");
        assertThatThrownBy(() -> reverso.up(Optional.empty())).isInstanceOf(ReversoException.class)
                .hasMessageContaining("other objects depend on it");
        assertThat(db.tableExists("parent")).isTrue();
        assertThat(archiveTables()).isEmpty();
    }

    @Test
    void dropTableOfAParentAndItsChildInOneStatementMovesBoth() {
        db.execute("create table parent (id int primary key); create table child (id int, parent_id int references parent);"
                + " insert into parent values (1); insert into child values (1, 1)");
        files.write("0001_both.up.sql", "drop table parent, child;");
        reverso.up(Optional.empty());
        assertThat(db.value("select count(*) from reverso.archives where kind = 'table'")).isEqualTo("2");
        reverso.down(new DownTarget.Count(1));
        assertThat(db.value("select count(*) from child join parent on parent.id = child.parent_id")).isEqualTo("1");
        assertThat(db.value("select count(*) from pg_constraint where conrelid = 'child'::regclass and contype = 'f'")).isEqualTo("1");
    }

    // 2. and 5. An archived table keeps no foreign keys, triggers, rules or policies.

    @Test
    void dropChildThenParentInOneMigrationSucceedsAndComesBackWithTheForeignKey() {
        db.execute("create table parent (id int primary key, name text); create table child (id serial primary key,"
                + " parent_id int references parent on delete cascade)");
        db.execute("insert into parent select g, 'p' || g from generate_series(1, 5) g;"
                + " insert into child (parent_id) select 1 + g % 5 from generate_series(1, 20) g");
        String parent = checksum("parent");
        String child = checksum("child");
        files.write("0001_drop_both.up.sql", "DROP TABLE child;\nDROP TABLE parent;");
        reverso.up(Optional.empty());
        assertThat(db.tableExists("parent")).isFalse();
        assertThat(archiveTables()).hasSize(2);

        reverso.down(new DownTarget.Count(1));
        assertThat(checksum("parent")).isEqualTo(parent);
        assertThat(checksum("child")).isEqualTo(child);
        assertThat(db.value("select pg_get_constraintdef(oid) from pg_constraint where conrelid = 'child'::regclass and contype = 'f'"))
                .isEqualTo("FOREIGN KEY (parent_id) REFERENCES parent(id) ON DELETE CASCADE");
        assertThat(archiveTables()).isEmpty();
    }

    @Test
    void anArchivedTableIsInertAndGetsItsForeignKeysTriggersRulesAndPoliciesBackOnItsRestore() {
        db.execute("create table parent (id int primary key);"
                + " create table child (id serial primary key, parent_id int references parent on delete cascade, note text);"
                + " create table log (what text);"
                + " create function child_log() returns trigger language plpgsql as $$ begin insert into log values (tg_op);"
                + " return null; end $$;"
                + " create trigger child_audit after insert or delete on child for each row execute function child_log();"
                + " create rule child_no_update as on update to child where new.note = 'frozen' do instead nothing;"
                + " alter table child enable row level security;"
                + " create policy child_mine on child for select to public using (note <> 'hidden');"
                + " grant select on child to public");
        db.execute("insert into parent select g from generate_series(1, 3) g;"
                + " insert into child (parent_id, note) select 1 + g % 3, 'n' || g from generate_series(1, 9) g");
        String child = checksum("child");
        files.pair("0001_drop_child", "drop table child;", null);
        reverso.up(Optional.empty());
        String archived = archiveOf("child");
        assertThat(db.value("select count(*) from pg_constraint where contype = 'f' and (conrelid = '" + archived
                + "'::regclass or confrelid = '" + archived + "'::regclass)")).isEqualTo("0");
        assertThat(db.value("select count(*) from pg_trigger where not tgisinternal and tgrelid = '" + archived + "'::regclass"))
                .isEqualTo("0");
        assertThat(db.value("select count(*) from pg_rewrite where ev_class = '" + archived + "'::regclass")).isEqualTo("0");
        assertThat(db.value("select count(*) from pg_policy where polrelid = '" + archived + "'::regclass")).isEqualTo("0");

        // The application deletes a parent: no violation, and nothing cascades into the archive.
        db.execute("delete from parent where id = 1");
        assertThat(db.value("select count(*) from " + archived)).isEqualTo("9");
        assertThat(db.value("select count(*) from log")).isEqualTo("9");
        assertThat(reverso.rollbackPlan(new DownTarget.Count(1)).verdict()).isEqualTo(RollbackPlan.Verdict.SAFE_WITH_RESTORE);

        db.execute("insert into parent values (1)");
        reverso.down(new DownTarget.Count(1));
        assertThat(checksum("child")).isEqualTo(child);
        assertThat(db.value("select confdeltype from pg_constraint where conrelid = 'child'::regclass and contype = 'f'"
                + " and convalidated")).isEqualTo("c");
        assertThat(db.value("select count(*) from pg_trigger where tgname = 'child_audit' and tgrelid = 'child'::regclass"))
                .isEqualTo("1");
        assertThat(db.value("select count(*) from pg_rules where rulename = 'child_no_update' and tablename = 'child'"))
                .isEqualTo("1");
        assertThat(db.value("select relrowsecurity || ' ' || relforcerowsecurity from pg_class where oid = 'child'::regclass"))
                .isEqualTo("true false");
        assertThat(db.value("select qual from pg_policies where policyname = 'child_mine'")).isEqualTo("(note <> 'hidden'::text)");
        assertThat(db.value("select has_table_privilege('public', 'child', 'select')")).isEqualTo("t");
        // The serial column's sequence came back with it.
        db.execute("insert into child (parent_id, note) values (2, 'new')");
        assertThat(db.value("select max(id) from child")).isEqualTo("10");
        assertThat(db.value("select count(*) from log")).isEqualTo("10");
    }

    @Test
    void aParentRowDeletedWhileTheChildWasArchivedLeavesItsForeignKeyNotValidAndSaysSo() {
        db.execute("create table parent (id int primary key); create table child (id int primary key, parent_id int references parent)");
        db.execute("insert into parent values (1), (2); insert into child values (1, 1), (2, 2)");
        files.write("0001_drop_child.up.sql", "drop table child;");
        reverso.up(Optional.empty());
        db.execute("delete from parent where id = 1");

        reverso.down(new DownTarget.Count(1));
        assertThat(db.value("select count(*) from child")).isEqualTo("2");
        assertThat(db.value("select convalidated from pg_constraint where conrelid = 'child'::regclass and contype = 'f'"))
                .isEqualTo("f");
        assertThat(events).filteredOn(e -> e instanceof Event.Restored).map(e -> ((Event.Restored) e).note()).singleElement()
                .asString().contains("moved public.child back").contains("NOT VALID");
    }

    // 6. A later down that drops the parent works, archiving on or off.

    @Test
    void anArchiveLeftAfterItsRestoreDoesNotHoldOffALaterDown() {
        laterDownDropsTheParent(reverso);
    }

    @Test
    void anArchiveLeftAfterItsRestoreDoesNotHoldOffALaterDownWithoutArchiving() {
        laterDownDropsTheParent(Reverso.with(ReversoConfig.of(db.url(), dir).withListener(events::add)
                .withArchive(Archiving.OFF)));
    }

    private void laterDownDropsTheParent(Reverso downs) {
        files.pair("0001_tables", "create table parent (id int primary key);"
                        + " create table child (id int primary key, parent_id int references parent);"
                        + " insert into parent values (1); insert into child values (1, 1);",
                "drop table child; drop table parent;")
                .pair("0002_drop_child", "drop table child;",
                        "create table child (id int primary key, parent_id int references parent);");
        reverso.up(Optional.empty());
        reverso.down(new DownTarget.Count(1));
        assertThat(db.value("select count(*) from child")).isEqualTo("1");
        assertThat(archiveTables()).hasSize(1);

        downs.down(new DownTarget.Count(1));
        assertThat(db.tableExists("parent")).isFalse();
    }

    // 15. An archive is readable by no one who could not read the original.

    @Test
    void aRoleThatSeesNoRowOfATableReadsNoArchivedRowOfIt() {
        db.execute("create table secret (id int primary key, note text, code text);"
                + " create table vault (id int primary key, body text); create table pad (id int primary key);"
                + " insert into secret select g, 'n' || g, 'c' || g from generate_series(1, 10) g;"
                + " insert into vault select g, 'b' || g from generate_series(1, 5) g;"
                + " insert into pad select g from generate_series(1, 3) g; alter table pad enable row level security;"
                + " alter table secret enable row level security; alter table vault enable row level security;"
                + " create policy vault_none on vault using (false);"
                + " alter default privileges grant select on tables to public");
        assertThat(countAs(reader, "secret")).isEqualTo("0");
        assertThat(countAs(reader, "vault")).isEqualTo("0");
        files.write("0001_shrink.up.sql", "update secret set code = 'x' where id < 4;\n"
                + "delete from secret where id > 8;\n"
                + "alter table secret drop column note;\n"
                + "truncate pad;");
        files.write("0002_drop_vault.up.sql", "drop table vault;");
        reverso.up(Optional.empty());

        List<String> archives = archiveTables();
        assertThat(archives).hasSize(5);
        for (String archive : archives) {
            assertThat(db.value("select count(*) > 0 from " + archive)).isEqualTo("t");
            assertThat(countAs(reader, archive)).as(archive).isEqualTo("0");
            assertThat(db.value("select has_table_privilege('public', '" + archive + "', 'select')")).isEqualTo("f");
        }
        assertThat(db.value("select has_schema_privilege('public', 'reverso_archive', 'usage')")).isEqualTo("f");

        reverso.down(new DownTarget.All());
        assertThat(db.value("select count(*) || ' ' || count(note) from secret where code = 'c' || id")).isEqualTo("10 10");
        assertThat(db.value("select count(*) from vault")).isEqualTo("5");
        assertThat(db.value("select count(*) from pad")).isEqualTo("3");
        assertThat(countAs(reader, "vault")).isEqualTo("0");
    }

    // 16. Rows that row-level security hides from the migrating role are archived, or the entry says they are not.

    @Test
    void anOwnerUnderForceRowLevelSecurityArchivesEveryRow() {
        db.execute("create table forced (id int primary key, note text); alter table forced owner to " + migrator + ";"
                + " insert into forced select g, 'n' || g from generate_series(1, 10) g;"
                + " alter table forced enable row level security; alter table forced force row level security;"
                + " create policy forced_some on forced using (id <= 3)");
        files.pair("0001_drop_note", "alter table forced drop column note;", "alter table forced add column note text;")
                .write("0002_truncate.up.sql", "truncate forced;");
        Reverso asOwner = as(migrator);
        asOwner.up(Optional.empty());
        assertThat(db.value("select relforcerowsecurity from pg_class where oid = 'forced'::regclass")).isEqualTo("t");
        assertThat(db.value("select string_agg(row_count::text, ' ' order by id) from reverso.archives")).isEqualTo("10 10");

        asOwner.down(new DownTarget.All());
        assertThat(db.value("select count(*) || ' ' || count(note) from forced where note = 'n' || id")).isEqualTo("10 10");
    }

    @Test
    void aRoleSubjectToRowLevelSecurityDoesNotPretendToArchiveWhatItCannotSee() {
        db.execute("create table shared (id int primary key, note text);"
                + " insert into shared select g, 'n' || g from generate_series(1, 10) g;"
                + " alter table shared owner to " + stranger + "; alter table shared enable row level security;"
                + " create policy shared_some on shared using (id <= 3);"
                + " grant select, truncate on shared to " + migrator);
        files.write("0001_truncate.up.sql", "truncate shared;");
        Reverso asMigrator = as(migrator);
        asMigrator.up(Optional.empty());
        assertThat(db.value("select count(*) from shared")).isEqualTo("0");
        assertThat(db.value("select kind from reverso.archives")).isEqualTo("not archived");
        assertThat(db.value("select detail from reverso.archives")).contains("row-level security");
        assertThat(events).anyMatch(e -> e instanceof Event.Warning w && w.message().contains("row-level security"));
        assertThat(asMigrator.rollbackPlan(new DownTarget.Count(1)).verdict()).isEqualTo(RollbackPlan.Verdict.IMPOSSIBLE);
    }

    // 17. An archive schema or table owned by a stranger is not trusted.

    @Test
    void anArchiveSchemaOwnedByAStrangerIsRefusedBeforeAnythingRuns() {
        db.execute("create table notes (id int primary key, body text); alter table notes owner to " + migrator + ";"
                + " insert into notes select g, 'b' || g from generate_series(1, 5) g;"
                + " create schema reverso_archive authorization " + stranger + ";"
                + " grant all on schema reverso_archive to " + migrator);
        files.write("0001_create.up.sql", "create table other (id int);")
                .write("0002_drop_body.up.sql", "alter table notes drop column body;");
        assertThatThrownBy(() -> as(migrator).up(Optional.empty())).isInstanceOf(ReversoException.class)
                .hasMessageContaining("reverso_archive is owned by " + stranger)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThat(db.tableExists("other")).isFalse();
        assertThat(db.value("select count(body) from notes")).isEqualTo("5");
    }

    @Test
    void anArchiveTableOwnedByAStrangerIsNotRestoredFrom() {
        db.execute("create table notes (id int primary key, body text); alter table notes owner to " + migrator + ";"
                + " insert into notes select g, 'b' || g from generate_series(1, 5) g");
        files.pair("0001_drop_body", "alter table notes drop column body;", "alter table notes add column body text;");
        Reverso asMigrator = as(migrator);
        asMigrator.up(Optional.empty());
        String archive = archiveOf("notes");
        // A stranger's forged copy in its place.
        db.execute("alter table " + archive + " owner to " + stranger + "; update " + archive + " set body = 'forged'");

        asMigrator.down(new DownTarget.Count(1));
        assertThat(db.value("select count(body) from notes")).isEqualTo("0");
        assertThat(events).filteredOn(e -> e instanceof Event.Restored).map(e -> ((Event.Restored) e).note()).singleElement()
                .asString().contains("not restored").contains("owned by " + stranger);
    }

    // 18. Views CASCADE drops come back with their grants and comments.

    @Test
    void viewsDroppedWithAColumnComeBackWithTheUsersDown() {
        db.execute("create table people (id int primary key, email text, name text);"
                + " insert into people select g, 'e' || g, 'n' || g from generate_series(1, 4) g;"
                + " create view emails with (security_barrier) as select id, email from people;"
                + " create view emails_short as select id from emails where id < 3;"
                + " create view names as select id, name from people;"
                + " grant select on emails to " + reader + "; comment on view emails is 'who to write to'");
        files.pair("0001_drop_email", "alter table people drop column email cascade;", "alter table people add column email text;");
        reverso.up(Optional.empty());
        assertThat(db.tableExists("emails")).isFalse();
        assertThat(db.tableExists("emails_short")).isFalse();

        reverso.down(new DownTarget.Count(1));
        assertThat(db.value("select count(*) from emails where email = 'e' || id")).isEqualTo("4");
        assertThat(db.value("select count(*) from emails_short")).isEqualTo("2");
        assertThat(db.value("select has_table_privilege('" + reader + "', 'emails', 'select')")).isEqualTo("t");
        assertThat(db.value("select obj_description('emails'::regclass)")).isEqualTo("who to write to");
        assertThat(db.value("select array_to_string(reloptions, ',') from pg_class where oid = 'emails'::regclass"))
                .isEqualTo("security_barrier=true");
    }

    @Test
    void viewsDroppedWithAColumnComeBackWithADerivedDown() {
        db.execute("create table people (id int primary key, email text);"
                + " insert into people select g, 'e' || g from generate_series(1, 4) g;"
                + " create view emails as select id, email from people; create view emails_short as select id from emails;");
        files.write("0001_drop_email.up.sql", "alter table people drop column email cascade;");
        reverso.up(Optional.empty());
        reverso.down(new DownTarget.Count(1));
        assertThat(db.value("select count(*) from emails where email = 'e' || id")).isEqualTo("4");
        assertThat(db.value("select count(*) from emails_short")).isEqualTo("4");
    }

    @Test
    void viewsOnViewsDroppedWithATableComeBackWithTheirGrants() {
        db.execute("create table orders (id int primary key, total int);"
                + " insert into orders select g, g * 10 from generate_series(1, 6) g;"
                + " create view big_orders as select * from orders where total > 20;"
                + " create materialized view big_totals as select sum(total) s from big_orders;"
                + " create unique index big_totals_s on big_totals (s);"
                + " grant select on big_orders, big_totals to " + reader);
        files.write("0001_drop_orders.up.sql", "drop table orders cascade;");
        reverso.up(Optional.empty());
        assertThat(db.tableExists("big_totals")).isFalse();

        reverso.down(new DownTarget.Count(1));
        assertThat(db.value("select count(*) from big_orders")).isEqualTo("4");
        assertThat(db.value("select s from big_totals")).isEqualTo("180");
        assertThat(db.value("select has_table_privilege('" + reader + "', 'big_totals', 'select')")).isEqualTo("t");
        assertThat(db.value("select count(*) from pg_indexes where indexname = 'big_totals_s'")).isEqualTo("1");
    }
}
