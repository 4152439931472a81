package dev.reverso.archive;

import dev.reverso.DatabaseUrl;
import dev.reverso.Event;
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

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Snapshots with the real pg_dump and pg_restore: taken, listed, restored into a second database, refused. */
class SnapshotsTest {

    static ScratchDatabase live;
    static ScratchDatabase other;

    @TempDir
    Path dir;
    @TempDir
    Path snapshots;
    MigrationsDir files;
    Reverso reverso;
    final List<Event> events = new ArrayList<>();

    @BeforeAll
    static void createDatabases() {
        live = ScratchDatabase.create(SnapshotsTest.class);
        other = ScratchDatabase.create(SnapshotsTest.class);
    }

    @AfterAll
    static void dropDatabases() {
        live.close();
        other.close();
    }

    @BeforeEach
    void reset() {
        for (ScratchDatabase db : List.of(live, other)) {
            db.resetSchemas();
            db.execute("drop schema if exists app cascade");
        }
        live.execute("create table accounts (id int primary key, owner text, balance numeric);"
                + " insert into accounts select g, case when g % 7 = 0 then null else 'owner ' || g end, g * 1.5"
                + " from generate_series(1, 2000) g;"
                + " create schema app; create table app.\"Odd \"\"Name\"\"\" (k text, v int);"
                + " insert into app.\"Odd \"\"Name\"\"\" values ('a', 1), ('b', null), (null, 3);"
                + " create table untouched (id int); insert into untouched values (1)");
        files = new MigrationsDir(dir);
        files.write("0001_drop_owner.up.sql", "alter table accounts drop column owner;\n"
                + "delete from app.\"Odd \"\"Name\"\"\" where v is null;\n"
                + "create table fresh (id int);\ninsert into fresh values (1);\n");
        reverso = Reverso.with(ReversoConfig.of(live.url(), dir).withListener(events::add));
    }

    private SnapshotRequest tables() {
        return new SnapshotRequest(false, snapshots, PgTools.fromEnvironment());
    }

    private static String content(ScratchDatabase db, String table) {
        return db.value("select count(*) || ':' || coalesce(md5(string_agg(t::text, ',' order by t::text)), '') from " + table + " t");
    }

    @Test
    void aSnapshotOfTheTouchedTablesRestoresIntoAnotherDatabaseWithTheSameRows() throws Exception {
        String accounts = content(live, "accounts");
        String odd = content(live, "app.\"Odd \"\"Name\"\"\"");

        Snapshot taken = reverso.snapshot(tables()).orElseThrow();

        assertThat(taken.scope()).isEqualTo("tables");
        assertThat(taken.version()).isNull();
        assertThat(taken.tables()).containsExactly("public.accounts", "app.\"Odd \"\"Name\"\"\"");
        Path file = Path.of(taken.path());
        assertThat(file.getFileName().toString()).matches("\\d{8}T\\d{6}Z_manual\\.dump");
        assertThat(Files.size(file)).isEqualTo(taken.bytes());
        assertThat(Snapshots.sha256(file)).isEqualTo(taken.sha256());
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(live.value("select scope || ' ' || bytes || ' ' || sha256 || ' ' || path from reverso.snapshots where id = " + taken.id()))
                .isEqualTo("tables " + taken.bytes() + " " + taken.sha256() + " " + taken.path());
        assertThat(live.value("select detail from reverso.audit where action = 'snapshot'")).contains("snapshot " + taken.id()).contains(taken.path());

        RestoreReport restored = reverso.restore(taken.id(), other.url(), false, PgTools.fromEnvironment());

        assertThat(restored.tables()).extracting(RestoreReport.Restored::table, RestoreReport.Restored::rows)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("public.accounts", 2000L),
                        org.assertj.core.groups.Tuple.tuple("app.\"Odd \"\"Name\"\"\"", 3L));
        assertThat(content(other, "accounts")).isEqualTo(accounts);
        assertThat(content(other, "app.\"Odd \"\"Name\"\"\"")).isEqualTo(odd);
        assertThat(other.tableExists("untouched")).isFalse();
        assertThat(live.value("select outcome from reverso.audit where action = 'restore'")).isEqualTo("restored");
    }

    @Test
    void upWithSnapshotRecordsItBeforeTheMigrationRunsAndItHoldsTheDroppedColumn() throws Exception {
        String before = content(live, "accounts");

        reverso.up(Optional.empty(), Optional.of(tables()));

        Snapshot taken = events.stream().filter(e -> e instanceof Event.SnapshotTaken).map(e -> ((Event.SnapshotTaken) e).snapshot())
                .findFirst().orElseThrow();
        assertThat(taken.version()).isEqualTo("1");
        assertThat(Path.of(taken.path()).getFileName().toString()).endsWith("_1.dump");
        assertThat(live.value("select version || ' ' || scope from reverso.snapshots")).isEqualTo("1 tables");
        // The snapshot came before the run: its audit row is older than the run's.
        assertThat(live.column("select action || ' ' || outcome from reverso.audit where action in ('snapshot', 'up') order by id"))
                .containsExactly("snapshot taken", "up started", "up done");
        assertThat(live.value("select count(*) from information_schema.columns where table_name = 'accounts' and column_name = 'owner'"))
                .isEqualTo("0");

        reverso.restore(taken.id(), other.url(), false, PgTools.fromEnvironment());

        assertThat(content(other, "accounts")).isEqualTo(before);
    }

    @Test
    void theWholeDatabaseRestoresWithEveryTable() {
        Snapshot taken = reverso.snapshot(new SnapshotRequest(true, snapshots, PgTools.fromEnvironment())).orElseThrow();

        assertThat(taken.scope()).isEqualTo("database");
        assertThat(taken.tables()).contains("public.accounts", "public.untouched", "reverso.migrations");
        reverso.restore(taken.id(), other.url(), false, PgTools.fromEnvironment());
        assertThat(content(other, "untouched")).isEqualTo(content(live, "untouched"));
    }

    @Test
    void restoreRefusesTheLiveDatabaseEvenUnderAnotherHostName() {
        Snapshot taken = reverso.snapshot(tables()).orElseThrow();
        DatabaseUrl sameByAnotherName = DatabaseUrl.parse(live.url().jdbcUrl().replace("127.0.0.1", "localhost"));
        assertThat(sameByAnotherName.jdbcUrl()).contains("localhost");

        for (DatabaseUrl target : List.of(live.url(), sameByAnotherName)) {
            assertThatThrownBy(() -> reverso.restore(taken.id(), target, true, PgTools.fromEnvironment()))
                    .isInstanceOf(ReversoException.class).hasMessageContaining("it is the live database");
        }
        assertThat(live.value("select count(*) from reverso.audit where action = 'restore'")).isEqualTo("0");
    }

    @Test
    void aChangedFileIsRefusedAndTheTargetStaysEmpty() throws Exception {
        Snapshot taken = reverso.snapshot(tables()).orElseThrow();
        Files.write(Path.of(taken.path()), new byte[] {0}, StandardOpenOption.APPEND);

        assertThat(reverso.snapshots()).extracting(SnapshotStatus::file).containsExactly(SnapshotStatus.FileState.CHANGED);
        assertThatThrownBy(() -> reverso.restore(taken.id(), other.url(), false, PgTools.fromEnvironment()))
                .isInstanceOf(ReversoException.class).hasMessageContaining("does not match the checksum recorded");
        assertThat(other.tableExists("accounts")).isFalse();

        Files.delete(Path.of(taken.path()));
        assertThat(reverso.snapshots()).extracting(SnapshotStatus::file).containsExactly(SnapshotStatus.FileState.MISSING);
    }

    @Test
    void aTargetWithTheTablesIsRefusedUnlessClean() {
        Snapshot taken = reverso.snapshot(tables()).orElseThrow();
        other.execute("create table accounts (id int); insert into accounts values (-1)");

        assertThatThrownBy(() -> reverso.restore(taken.id(), other.url(), false, PgTools.fromEnvironment()))
                .isInstanceOf(ReversoException.class).hasMessageContaining("already has public.accounts").hasMessageContaining("--clean");
        assertThat(other.value("select count(*) from accounts")).isEqualTo("1");
        assertThat(other.value("select count(*) from pg_namespace where nspname = 'app'")).isEqualTo("0");

        reverso.restore(taken.id(), other.url(), true, PgTools.fromEnvironment());
        assertThat(content(other, "accounts")).isEqualTo(content(live, "accounts"));
    }

    @Test
    void withoutPgDumpUpSaysHowToInstallItAndRunsNothing() throws Exception {
        Path empty = Files.createTempDirectory(snapshots, "bin");
        PgTools none = new PgTools(null, List.of(empty), empty);
        SnapshotRequest request = new SnapshotRequest(false, snapshots.resolve("out"), none);

        assertThatThrownBy(() -> reverso.up(Optional.empty(), Optional.of(request)))
                .isInstanceOf(ReversoException.class)
                .satisfies(e -> assertThat(((ReversoException) e).kind()).isEqualTo(ReversoException.Kind.BAD_INPUT))
                .hasMessage("pg_dump not found: install the PostgreSQL client (apt-get install postgresql-client-"
                        + live.value("select current_setting('server_version_num')::int / 10000") + ") or set REVERSO_PG_BIN");
        assertThat(live.tableExists("fresh")).isFalse();
        assertThat(live.value("select count(*) from information_schema.columns where table_name = 'accounts' and column_name = 'owner'"))
                .isEqualTo("1");
        assertThat(live.value("select count(*) from reverso.migrations")).isEqualTo("0");
        assertThat(live.value("select count(*) from reverso.snapshots")).isEqualTo("0");
        assertThat(Files.exists(snapshots.resolve("out"))).isFalse();

        PgTools fromEnv = PgTools.fromEnvironment(Map.of("PATH", empty.toString(), "REVERSO_PG_BIN", empty.toString()));
        assertThatThrownBy(() -> fromEnv.find("pg_dump", 15, 15)).hasMessageStartingWith("pg_dump not found in " + empty);
    }

    @Test
    void aPgDumpThatFailsStopsTheRunBeforeAnyChangeAndLeavesNoFile() throws Exception {
        Reverso impatient = Reverso.with(ReversoConfig.of(live.url(), dir)
                .withRetry(dev.reverso.engine.RetryPolicy.defaults().withMaxTotalWait(java.time.Duration.ofMillis(300))));
        try (java.sql.Connection holder = live.connect(); java.sql.Statement st = holder.createStatement()) {
            holder.setAutoCommit(false);
            st.execute("lock table accounts in access exclusive mode");

            assertThatThrownBy(() -> impatient.up(Optional.empty(), Optional.of(tables())))
                    .isInstanceOf(ReversoException.class)
                    .satisfies(e -> assertThat(((ReversoException) e).kind()).isEqualTo(ReversoException.Kind.UNREACHABLE))
                    .hasMessageStartingWith("pg_dump of 2 tables failed: ").hasMessageContaining("waited 300 ms, --max-lock-wait, for a share lock");
            holder.rollback();
        }
        assertThat(live.tableExists("fresh")).isFalse();
        assertThat(live.value("select count(*) from reverso.migrations")).isEqualTo("0");
        assertThat(live.value("select count(*) from reverso.snapshots")).isEqualTo("0");
        assertThat(live.column("select action || ' ' || outcome from reverso.audit")).containsExactly("snapshot failed");
        try (var left = Files.list(snapshots)) {
            assertThat(left.toList()).isEmpty();
        }
    }

    @Test
    void aPgDumpOlderThanTheServerIsRefusedWithTheFix() throws Exception {
        Path bin = Files.createTempDirectory(snapshots, "oldbin");
        Path fake = bin.resolve("pg_dump");
        Files.writeString(fake, "#!/bin/sh\necho 'pg_dump (PostgreSQL) 9.6.24'\n");
        assertThat(fake.toFile().setExecutable(true)).isTrue();

        assertThatThrownBy(() -> reverso.snapshot(new SnapshotRequest(false, snapshots, PgTools.fromEnvironment().withBin(bin))))
                .isInstanceOf(ReversoException.class)
                .hasMessageContaining("pg_dump 9.6 (" + fake + ") is older than the server")
                .hasMessageContaining("set REVERSO_PG_BIN");
        assertThat(live.value("select count(*) from reverso.snapshots")).isEqualTo("0");
    }

    @Test
    void nothingTouchedMeansNoSnapshot() {
        files.delete("0001_drop_owner.up.sql").write("0001_new.up.sql", "create table fresh (id int);");

        assertThat(reverso.snapshot(tables())).isEmpty();
        reverso.up(Optional.empty(), Optional.of(tables()));
        assertThat(events).anyMatch(e -> e instanceof Event.Warning w && w.message().startsWith("no snapshot taken"));
        assertThat(live.tableExists("fresh")).isTrue();
    }
}
