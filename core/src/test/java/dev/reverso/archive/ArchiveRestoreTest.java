package dev.reverso.archive;

import dev.reverso.DownTarget;
import dev.reverso.Event;
import dev.reverso.Reverso;
import dev.reverso.PlanReport;
import dev.reverso.ReversoConfig;
import dev.reverso.ReversoException;
import dev.reverso.RollbackPlan;
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
 * For each destructive kind: apply, write more rows, roll back, and compare the table's content
 * with what it was (a checksum over its sorted rows), on awkward tables.
 */
class ArchiveRestoreTest {

    static ScratchDatabase db;

    @TempDir
    Path dir;
    MigrationsDir files;
    Reverso reverso;
    final List<Event> events = new ArrayList<>();

    @BeforeAll
    static void createDatabase() {
        db = ScratchDatabase.create(ArchiveRestoreTest.class);
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

    /** The table's content, order-independent: an md5 over its rows as text, sorted. */
    private static String checksum(String table) {
        return db.value("select md5(coalesce(string_agg(t::text, ',' order by t::text), '')) from " + table + " t");
    }

    /** The same over the named columns, for a table whose column order a rollback changed (a re-added column comes last). */
    private static String checksum(String table, String columns) {
        return db.value("select md5(coalesce(string_agg(r::text, ',' order by r::text), '')) from (select " + columns
                + " from " + table + ") r");
    }

    private static final String ODD_COLUMNS = "\"Id\", \"e mail\", note, big, doubled";

    /** A table with NULLs, a TOASTed value, a generated column and names that need quoting. */
    private static void awkwardTable() {
        db.execute("create table \"Odd \"\"Table\" (\"Id\" int primary key, \"e mail\" text, note text,"
                + " big text, doubled int generated always as (\"Id\" * 2) stored)");
        db.execute("insert into \"Odd \"\"Table\" (\"Id\", \"e mail\", note, big)"
                + " select g, case when g % 3 = 0 then null else 'u' || g || '@x' end, 'n' || g,"
                + " case when g = 7 then repeat(md5(g::text), 4000) end from generate_series(1, 50) g");
    }

    @Test
    void dropColumnIsRestoredByTheUsersDownBeforeItsLaterStatementsRun() {
        awkwardTable();
        String before = checksum("\"Odd \"\"Table\"", ODD_COLUMNS);
        files.pair("0001_drop_email", "alter table \"Odd \"\"Table\" drop column \"e mail\";",
                "alter table \"Odd \"\"Table\" add column \"e mail\" text;\n"
                        + "update \"Odd \"\"Table\" set note = note || '!' where \"e mail\" is null;");
        reverso.up(Optional.empty());
        assertThat(db.value("select count(*) from information_schema.columns where table_schema = 'public' and column_name = 'e mail'")).isEqualTo("0");
        assertThat(db.value("select count(*) from reverso.archives where kind = 'column'")).isEqualTo("1");
        assertThat(db.value("select row_count from reverso.archives")).isEqualTo("50");

        reverso.down(new DownTarget.Count(1));

        // The down's UPDATE saw the values back: only the rows whose e-mail really is NULL were touched.
        assertThat(db.value("select count(*) from \"Odd \"\"Table\" where note like '%!'")).isEqualTo("16");
        db.execute("update \"Odd \"\"Table\" set note = rtrim(note, '!')");
        assertThat(checksum("\"Odd \"\"Table\"", ODD_COLUMNS)).isEqualTo(before);
        assertThat(events).filteredOn(e -> e instanceof Event.Restored).hasSize(1);
    }

    @Test
    void dropColumnWithoutDownIsDerivedWithItsDefaultNotNullAndIndex() {
        db.execute("create table orders (tenant int, id int, status text not null default 'new', primary key (tenant, id))");
        db.execute("create index orders_status_idx on orders (status)");
        db.execute("insert into orders select g % 4, g, case when g % 2 = 0 then 'paid' else 'new' end from generate_series(1, 100) g");
        String before = checksum("orders");
        files.write("0001_drop_status.up.sql", "alter table orders drop column status;");
        reverso.up(Optional.empty());
        db.execute("insert into orders values (9, 1000)");

        reverso.down(new DownTarget.Count(1));

        assertThat(db.value("select is_nullable || ' ' || column_default from information_schema.columns where table_name = 'orders' and column_name = 'status'"))
                .isEqualTo("NO 'new'::text");
        assertThat(db.value("select count(*) from pg_indexes where indexname = 'orders_status_idx'")).isEqualTo("1");
        db.execute("delete from orders where tenant = 9 and id = 1000");
        assertThat(checksum("orders")).isEqualTo(before);
    }

    @Test
    void dropColumnOnATableWithoutKeyPairsRowsByTheirOtherColumns() {
        db.execute("create table log (at int, msg text, detail jsonb)");
        db.execute("insert into log select g % 5, 'm' || (g % 3), jsonb_build_object('g', g) from generate_series(1, 60) g");
        db.execute("insert into log select 1, 'same', null from generate_series(1, 3)");
        String before = checksum("log");
        files.write("0001_drop_detail.up.sql", "alter table log drop column detail;");
        reverso.up(Optional.empty());
        reverso.down(new DownTarget.Count(1));
        assertThat(checksum("log")).isEqualTo(before);
    }

    @Test
    void dropTableIsMovedIntoTheArchiveAndMovedBackWithItsIndexesSequenceForeignKeysAndGrants() {
        db.execute("create table users (id serial primary key, email text unique, created date default current_date)");
        db.execute("create table orders (id int primary key, user_id int references users)");
        db.execute("insert into users (email) select 'u' || g from generate_series(1, 20) g");
        db.execute("insert into orders select g, g from generate_series(1, 20) g");
        db.execute("comment on table users is 'people'; grant select on users to public");
        String before = checksum("users");
        files.write("0001_drop_users.up.sql", "drop table users cascade;");
        reverso.up(Optional.empty());
        assertThat(db.tableExists("users")).isFalse();
        assertThat(db.value("select count(*) from pg_constraint where conname = 'orders_user_id_fkey'")).isEqualTo("0");
        assertThat(db.value("select count(*) from pg_tables where schemaname = 'reverso_archive'")).isEqualTo("1");

        reverso.down(new DownTarget.Count(1));

        assertThat(checksum("users")).isEqualTo(before);
        assertThat(db.value("select obj_description('users'::regclass)")).isEqualTo("people");
        assertThat(db.value("select count(*) from pg_constraint where conname in ('orders_user_id_fkey', 'users_email_key', 'users_pkey')"))
                .isEqualTo("3");
        assertThat(db.value("select has_table_privilege('public', 'users', 'select')")).isEqualTo("t");
        db.execute("insert into users (email) values ('new')");
        assertThat(db.value("select max(id) from users")).isEqualTo("21");
        assertThat(db.value("select count(*) from pg_tables where schemaname = 'reverso_archive'")).isEqualTo("0");
    }

    @Test
    void dropTableWithAUsersDownThatRecreatesItGetsTheRowsAndTheSequenceBack() {
        db.execute("create table tags (id bigint generated always as identity primary key, name text not null)");
        db.execute("insert into tags (name) select 't' || g from generate_series(1, 10) g");
        String before = checksum("tags");
        files.pair("0001_drop_tags", "drop table tags;",
                "create table tags (id bigint generated always as identity primary key, name text not null);");
        reverso.up(Optional.empty());
        reverso.down(new DownTarget.Count(1));
        assertThat(checksum("tags")).isEqualTo(before);
        db.execute("insert into tags (name) values ('next')");
        assertThat(db.value("select max(id) from tags")).isEqualTo("11");
    }

    @Test
    void truncateDeleteAndUpdateAreUndoneWhileRowsWrittenSinceStay() {
        awkwardTable();
        db.execute("create table events (id int primary key, kind text)");
        db.execute("insert into events select g, 'k' || (g % 4) from generate_series(1, 40) g");
        String oddBefore = checksum("\"Odd \"\"Table\"");
        String eventsBefore = checksum("events");
        files.write("0001_cleanup.up.sql", "truncate events;\n"
                + "delete from \"Odd \"\"Table\" o where o.\"Id\" > 40;\n"
                + "update \"Odd \"\"Table\" set note = upper(note), \"e mail\" = null where \"Id\" % 2 = 0;");
        reverso.up(Optional.empty());
        assertThat(db.value("select count(*) from events")).isEqualTo("0");
        assertThat(db.value("select count(*) from \"Odd \"\"Table\"")).isEqualTo("40");
        db.execute("insert into events values (1000, 'written since')");

        reverso.down(new DownTarget.Count(1));

        assertThat(checksum("\"Odd \"\"Table\"")).isEqualTo(oddBefore);
        db.execute("delete from events where id = 1000");
        assertThat(checksum("events")).isEqualTo(eventsBefore);
    }

    @Test
    void aLossyTypeChangeIsUndoneWithTheOldValues() {
        db.execute("create table items (id int primary key, price numeric(12, 4), label text)");
        db.execute("insert into items select g, g * 1.2345, repeat('x', g) from generate_series(1, 30) g");
        String before = checksum("items");
        files.write("0001_narrow.up.sql", "alter table items alter column price type int using price::int,"
                + " alter column label type varchar(5) using left(label, 5);");
        reverso.up(Optional.empty());
        assertThat(db.value("select count(*) from reverso.archives where kind = 'type' and archive_table is not null")).isEqualTo("2");
        reverso.down(new DownTarget.Count(1));
        assertThat(db.value("select format_type(atttypid, atttypmod) from pg_attribute where attrelid = 'items'::regclass"
                + " and attname = 'price'")).isEqualTo("numeric(12,4)");
        assertThat(checksum("items")).isEqualTo(before);
    }

    @Test
    void aMigrationWithoutDownWhoseStatementCannotBeInvertedIsRefusedBeforeAnythingRuns() {
        db.execute("create table t (id int primary key)");
        files.write("0001_seed.up.sql", "insert into t values (1);");
        reverso.up(Optional.empty());
        assertThatThrownBy(() -> reverso.down(new DownTarget.Count(1)))
                .isInstanceOf(ReversoException.class)
                .hasMessageContaining("cannot roll back 1_seed: it has no down migration and Reverso cannot derive one: step 1"
                        + " (insert into t values (1))");
        assertThat(db.value("select state from reverso.migrations")).isEqualTo("applied");
    }

    @Test
    void thePlanSaysWhatComesBackAndWhatWritesSinceWouldLose() throws Exception {
        db.execute("create table users (id int primary key, email text, nick text)");
        db.execute("insert into users select g, 'u' || g, 'n' || g from generate_series(1, 10) g");
        files.pair("0001_drop_nick", "alter table users drop column nick;", "alter table users add column nick text;")
                .pair("0002_phone", "alter table users add column phone text;", "alter table users drop column phone;");
        reverso.up(Optional.empty());

        RollbackPlan quiet = reverso.rollbackPlan(new DownTarget.All());
        assertThat(quiet.migrations()).extracting(RollbackPlan.Migration::verdict)
                .containsExactly(RollbackPlan.Verdict.SAFE, RollbackPlan.Verdict.SAFE_WITH_RESTORE);
        assertThat(quiet.migrations().get(1).steps()).extracting(RollbackPlan.Step::kind, RollbackPlan.Step::detail)
                .contains(org.assertj.core.groups.Tuple.tuple(RollbackPlan.Kind.RESTORED,
                        "10 values of public.users.nick come back from the archive"));

        // Another session writes phone numbers: rolling back 0002 would drop them.
        try (var other = java.sql.DriverManager.getConnection(db.jdbcUrl(), "postgres", "")) {
            other.createStatement().execute("update users set phone = '555' where id <= 3");
        }
        RollbackPlan plan = awaitWrites(new DownTarget.Count(1));
        assertThat(plan.verdict()).isEqualTo(RollbackPlan.Verdict.DATA_LOSS);
        assertThat(plan.migrations().get(0).writes()).containsExactly(new RollbackPlan.Writes("public.users", 3, true));
        assertThat(plan.migrations().get(0).losses()).containsExactly("3 rows written to public.users since it was applied;"
                + " the rollback drops column users.phone: values written into it would be lost (alter table users drop column phone)");
        assertThat(plan.migrations().get(0).ago()).isLessThan(java.time.Duration.ofMinutes(1));

        db.execute("delete from reverso.archives");
        RollbackPlan purged = reverso.rollbackPlan(new DownTarget.All());
        assertThat(purged.migrations().get(1).verdict()).isEqualTo(RollbackPlan.Verdict.IMPOSSIBLE);
        assertThat(purged.migrations().get(1).steps()).extracting(RollbackPlan.Step::kind).contains(RollbackPlan.Kind.IRREVERSIBLE);
    }

    /** The statistics reach other sessions when the writer flushes them (at the latest when it disconnects). */
    private RollbackPlan awaitWrites(DownTarget target) throws InterruptedException {
        RollbackPlan plan = reverso.rollbackPlan(target);
        for (int i = 0; i < 50 && plan.migrations().get(0).writes().stream().allMatch(w -> w.rows() == 0); i++) {
            Thread.sleep(100);
            plan = reverso.rollbackPlan(target);
        }
        return plan;
    }

    @Test
    void anOperationMigrationsCompleteArchivesTheColumnItDrops() {
        db.execute("create table players (id int primary key, nick text, score int)");
        db.execute("insert into players select g, 'p' || g, case when g % 4 = 0 then null else g * 10 end from generate_series(1, 40) g");
        String before = checksum("players", "id, score");
        files.write("0001_drop_score.json", """
                {"operations": [{"drop_column": {"table": "players", "column": "score", "down": "0"}}]}""");
        reverso.up(Optional.empty());
        assertThat(db.value("select count(*) from information_schema.columns where table_name = 'players' and column_name = 'score'"))
                .isEqualTo("0");
        List<ArchiveEntry> archive = reverso.archive();
        assertThat(archive).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(ArchiveEntry.Kind.COLUMN);
            assertThat(e.source()).isEqualTo("public.players.score");
            assertThat(e.rows()).isEqualTo(40);
            assertThat(e.bytes()).isPositive();
        });
        assertThat(checksum("reverso_archive." + archive.get(0).archiveTable(), "id, score")).isEqualTo(before);
    }

    @Test
    void aFailureWhileArchivingIsRecordedAndTheMigrationRunsAsWritten() {
        db.execute("create table notes (id int primary key, body text, score int)");
        db.execute("insert into notes select g, 'b' || g, g from generate_series(1, 10) g");
        db.execute("create table drafts (id int primary key)");
        db.execute("drop role if exists archive_less; create role archive_less login;"
                + " create schema reverso_archive; revoke all on schema reverso_archive from public;"
                + " grant all on schema public to archive_less; alter table notes owner to archive_less;"
                + " alter table drafts owner to archive_less");
        reverso.init();
        db.execute("grant all on schema reverso to archive_less; grant all on all tables in schema reverso to archive_less;"
                + " grant all on all sequences in schema reverso to archive_less");
        files.write("0001_drop_body.up.sql", "alter table notes drop column body;\nupdate notes set score = 0 where score > 5;\n"
                + "drop table drafts;");
        List<Event> seen = new ArrayList<>();
        Reverso asApp = Reverso.with(ReversoConfig.of(dev.reverso.DatabaseUrl.parse(db.url().jdbcUrl().replace("user=postgres",
                "user=archive_less")), dir).withListener(seen::add));

        asApp.up(Optional.empty());

        // Archiving failed, so the statements ran as written: what psql would have done.
        assertThat(db.value("select count(*) from information_schema.columns where table_name = 'notes' and column_name = 'body'"))
                .isEqualTo("0");
        assertThat(db.value("select count(*) from notes where score = 0")).isEqualTo("5");
        assertThat(db.value("select count(*) from pg_tables where tablename = 'drafts'")).isEqualTo("0");
        assertThat(db.value("select count(*) from reverso.migrations where state = 'applied'")).isEqualTo("1");
        assertThat(db.value("select string_agg(kind || ' ' || step, ',' order by id) from reverso.archives"))
                .isEqualTo("not archived 1,not archived 2,not archived 3");
        assertThat(db.value("select detail::jsonb->>'note' from reverso.archives where step = 1"))
                .isEqualTo("archiving failed: permission denied for schema reverso_archive");
        assertThat(seen).filteredOn(e -> e instanceof Event.Warning w && w.message().contains("not archived")).hasSize(3).first().asString()
                .contains("step 1 (alter table notes drop column body) is not archived: archiving failed: permission denied");
        assertThat(seen).noneMatch(e -> e instanceof Event.Archived);
        RollbackPlan plan = reverso.rollbackPlan(new DownTarget.Count(1));
        assertThat(plan.verdict()).isEqualTo(RollbackPlan.Verdict.IMPOSSIBLE);
        assertThat(plan.migrations().get(0).steps()).extracting(RollbackPlan.Step::detail)
                .anyMatch(d -> d.contains("not archived: archiving failed: permission denied for schema reverso_archive"));
        db.execute("drop schema reverso_archive cascade; drop table notes; revoke all on schema public from archive_less;"
                + " drop owned by archive_less; drop role archive_less");
    }

    @Test
    void restoringIntoATableThatChangedShapeSaysWhatItCouldNotPutBack() {
        db.execute("create table visits (id int primary key, page text, referrer text)");
        db.execute("insert into visits select g, '/p' || g, 'r' || g from generate_series(1, 12) g");
        // The down recreates the table as it later became: referrer gone, a new column added.
        files.pair("0001_drop_visits", "drop table visits;",
                "create table visits (id int primary key, page text, agent text default 'unknown');");
        reverso.up(Optional.empty());
        reverso.down(new DownTarget.Count(1));

        assertThat(db.value("select count(*) || ' ' || min(agent) from visits where page = '/p' || id")).isEqualTo("12 unknown");
        assertThat(events).filteredOn(e -> e instanceof Event.Restored).map(e -> ((Event.Restored) e).note()).singleElement()
                .asString().contains("restored 12 rows into public.visits")
                .contains("column referrer not restored: the table has no such column now (the values stay in reverso_archive.");
    }

    @Test
    void aLayoutTwoSchemaIsUpgradedInPlaceKeepingItsHistory() {
        files.pair("0001_t", "create table t (id int);", "drop table t;");
        reverso.up(Optional.empty());
        db.execute("drop table reverso.archives, reverso.table_stats, reverso.snapshots, reverso.perf_relations,"
                + " reverso.perf_statements, reverso.perf_baselines;"
                + " update reverso.meta set value = '2' where key = 'layout_version'");
        assertThat(reverso.status().migrations()).hasSize(1);
        assertThat(db.value("select value from reverso.meta where key = 'layout_version'")).isEqualTo("4");
        assertThat(db.value("select count(*) from pg_tables where schemaname = 'reverso'"
                + " and tablename in ('archives', 'table_stats', 'snapshots')")).isEqualTo("3");
        reverso.down(new DownTarget.Count(1));
        assertThat(db.tableExists("t")).isFalse();
    }

    @Test
    void withArchiveTableAnUnboundedChangeKeepsTheWholeTableAndPutsItBack() {
        db.execute("create table accounts (id int primary key, balance int, owner text)");
        db.execute("insert into accounts select g, g * 100, 'o' || g from generate_series(1, 100) g");
        String before = checksum("accounts");
        files.write("0001_fix.up.sql", "update accounts set balance = 0 where id < 5 returning id;\n"
                + "delete from accounts where id > 95 returning id;");
        Reverso bounded = Reverso.with(ReversoConfig.of(db.url(), dir).withListener(events::add));
        assertThat(bounded.plan(Optional.empty()).migrations().get(0).statements()).extracting(PlanReport.PlannedStatement::archive)
                .containsExactly("not archived: an UPDATE with its own RETURNING clause (--archive-table keeps the whole of accounts)",
                        "not archived: a DELETE with its own RETURNING clause (--archive-table keeps the whole of accounts)");

        Reverso whole = Reverso.with(ReversoConfig.of(db.url(), dir).withListener(events::add)
                .withArchive(Archiving.WHOLE_TABLE_WHEN_UNBOUNDED));
        whole.up(Optional.empty());
        assertThat(db.value("select count(*) from accounts")).isEqualTo("95");
        db.execute("insert into accounts values (500, 1, 'since')");

        whole.down(new DownTarget.Count(1));

        db.execute("delete from accounts where id = 500");
        assertThat(checksum("accounts")).isEqualTo(before);
    }

    @Test
    void aWriteCommittedWhileTheMigrationWaitsForItsLockIsInTheArchive() throws Exception {
        db.execute("create table profiles (id int primary key, nick text)");
        db.execute("insert into profiles select g, 'n' || g from generate_series(1, 100) g");
        files.pair("0001_drop_nick", "alter table profiles drop column nick;", "alter table profiles add column nick text;");
        try (var app = java.sql.DriverManager.getConnection(db.jdbcUrl(), "postgres", "")) {
            app.setAutoCommit(false);
            app.createStatement().execute("update profiles set nick = 'changed while waiting' where id = 7");
            // The writer commits as soon as the migration waits for its lock: within the 100 ms
            // lock_timeout, so no retry hides the race. Had the archive been copied before the
            // migration kept writers out, the copy would hold the old value.
            Thread[] commit = new Thread[1];
            Reverso racing = Reverso.with(ReversoConfig.of(db.url(), dir).withListener(e -> {
                if (e instanceof Event.StatementStarting && commit[0] == null) {
                    commit[0] = new Thread(() -> {
                        try (var watcher = java.sql.DriverManager.getConnection(db.jdbcUrl(), "postgres", "")) {
                            var waiting = watcher.prepareStatement("select count(*) from pg_locks where not granted"
                                    + " and relation = 'profiles'::regclass");
                            for (int i = 0; i < 2000; i++) {
                                try (var rs = waiting.executeQuery()) {
                                    rs.next();
                                    if (rs.getInt(1) > 0) {
                                        break;
                                    }
                                }
                                Thread.sleep(2);
                            }
                            app.commit();
                        } catch (Exception failure) {
                            throw new IllegalStateException(failure);
                        }
                    });
                    commit[0].start();
                }
            }));
            racing.up(Optional.empty());
            commit[0].join();
        }
        reverso.down(new DownTarget.Count(1));
        assertThat(db.value("select nick from profiles where id = 7")).isEqualTo("changed while waiting");
        assertThat(db.value("select count(*) from profiles where nick = 'n' || id")).isEqualTo("99");
    }

    @Test
    void aStepByStepMigrationArchivesAndRestoresInEachStepsOwnTransaction() {
        db.execute("create table readings (id int primary key, sensor text, value numeric)");
        db.execute("insert into readings select g, 's' || (g % 7), g / 3.0 from generate_series(1, 500) g");
        String before = checksum("readings");
        files.pair("0001_reshape", "create index concurrently readings_sensor_idx on readings (sensor);\n"
                        + "alter table readings drop column value;",
                "alter table readings add column value numeric;\ndrop index concurrently readings_sensor_idx;");
        reverso.up(Optional.empty());
        assertThat(db.value("select transactional::text from reverso.migrations")).isEqualTo("false");
        assertThat(db.value("select row_count from reverso.archives")).isEqualTo("500");

        reverso.down(new DownTarget.Count(1));

        assertThat(checksum("readings")).isEqualTo(before);
        assertThat(db.value("select count(*) from pg_indexes where indexname = 'readings_sensor_idx'")).isEqualTo("0");
    }

    @Test
    void aDownRetriedAfterALockTimeoutStillPutsEveryValueBack() throws Exception {
        db.execute("create table accounts (id int primary key, nick text); create table audit_log (id int)");
        db.execute("insert into accounts select g, 'n' || g from generate_series(1, 50) g");
        files.pair("0001_reshape", "alter table accounts drop column nick;\nalter table audit_log add column note text;",
                "alter table accounts add column nick text;\nalter table audit_log drop column note;");
        reverso.up(Optional.empty());
        try (var report = java.sql.DriverManager.getConnection(db.jdbcUrl(), "postgres", "")) {
            // A report holds audit_log: the down re-adds nick and restores it, then times out on
            // audit_log, rolls back and tries again; the second try must restore nick again.
            report.setAutoCommit(false);
            report.createStatement().execute("select count(*) from audit_log");
            Thread release = new Thread(() -> {
                try {
                    Thread.sleep(600);
                    report.rollback();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            release.start();
            reverso.down(new DownTarget.Count(1));
            release.join();
        }
        assertThat(events).anyMatch(e -> e instanceof Event.LockRetry);
        assertThat(db.value("select count(*) from accounts where nick = 'n' || id")).isEqualTo("50");
        assertThat(events).filteredOn(e -> e instanceof Event.Restored).hasSize(1);
    }

    @Test
    void aDownThatRecreatesAndSeedsATableGetsTheArchivedRowsAfterItsOwnSeed() {
        // Lemmy's remove_categories: the up drops a seeded table, the down creates and seeds it again.
        db.execute("create table category (id serial primary key, name text unique not null)");
        db.execute("insert into category (name) values ('Discussion'), ('Humor'), ('Local')");
        db.execute("insert into category (name) values ('Added by users')");
        files.pair("0001_remove_categories", "drop table category;",
                "create table category (id serial primary key, name text unique not null);\n"
                        + "insert into category (name) values ('Discussion'), ('Humor'), ('Local');");
        reverso.up(Optional.empty());
        reverso.down(new DownTarget.Count(1));
        assertThat(db.value("select string_agg(id || ':' || name, ',' order by id) from category"))
                .isEqualTo("1:Discussion,2:Humor,3:Local,4:Added by users");
    }

    @Test
    void aDownThatDoesNotCreateADroppedTableAgainLeavesItDroppedAsPsqlWouldAndKeepsItsRows() {
        // ory/kratos: the table comes back in an older migration's down, not in the down of the
        // migration that dropped it; moving it back there made that older down fail ("already exists").
        db.execute("create table t (id int)");
        db.execute("insert into t values (1), (2)");
        files.pair("0001_noop", "select 1;", "create table t (id int);")
                .pair("0002_drop", "drop table t;", "select 1;");
        reverso.up(Optional.empty());
        RollbackPlan.Migration plan = reverso.rollbackPlan(new DownTarget.Count(1)).migrations().get(0);
        assertThat(plan.verdict()).isEqualTo(RollbackPlan.Verdict.SAFE);
        assertThat(plan.steps()).anyMatch(step -> step.detail().contains("it stays dropped, its rows stay in the archive"));

        reverso.down(new DownTarget.Count(1));
        assertThat(db.tableExists("t")).isFalse();
        assertThat(events).filteredOn(e -> e instanceof Event.Restored).map(e -> ((Event.Restored) e).note()).singleElement()
                .asString().contains("stays dropped as the down says");

        reverso.down(new DownTarget.Count(1));
        assertThat(db.value("select count(*) from t")).isEqualTo("0");
        assertThat(db.value("select count(*) from reverso_archive." + reverso.archive().get(0).archiveTable())).isEqualTo("2");
    }

    @Test
    void aForeignKeyThatCannotBeAddedBackIsSaidToBeMissingNotNotValid() {
        db.execute("create table p (id int primary key); create table c (pid int references p (id))");
        files.pair("0001_drop_c", "drop table c;", null)
                .pair("0002_unkey_p", "alter table p drop constraint p_pkey;", "select 1;");
        reverso.up(Optional.empty());
        reverso.down(new DownTarget.Count(2));
        assertThat(events).filteredOn(e -> e instanceof Event.Restored).map(e -> ((Event.Restored) e).note()).singleElement()
                .asString().contains("so constraint c_pid_fkey is not back").doesNotContain("NOT VALID");
        assertThat(db.value("select count(*) from pg_constraint where conrelid = 'c'::regclass")).isEqualTo("0");
    }
}
