package dev.reverso.cli;

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
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** snapshot, snapshot list, up --snapshot and restore as a user runs them, with the real pg_dump and pg_restore. */
class SnapshotCommandTest {

    static ScratchDatabase live;
    static ScratchDatabase other;

    @TempDir
    Path dir;
    @TempDir
    Path snapshots;

    @BeforeAll
    static void createDatabases() {
        live = ScratchDatabase.create(SnapshotCommandTest.class);
        other = ScratchDatabase.create(SnapshotCommandTest.class);
    }

    @AfterAll
    static void dropDatabases() {
        live.close();
        other.close();
    }

    @BeforeEach
    void reset() {
        live.resetSchemas();
        other.resetSchemas();
        live.execute("create table orders (id int primary key, note text); insert into orders select g, nullif('n' || g, 'n5')"
                + " from generate_series(1, 500) g");
        new MigrationsDir(dir).pair("0001_drop_note", "alter table orders drop column note;\ncreate table audit_trail (id int);",
                "alter table orders add column note text;\ndrop table audit_trail;");
    }

    private String checksum(ScratchDatabase db) {
        return db.value("select md5(string_agg(t::text, ',' order by t::text)) from orders t");
    }

    @Test
    void upWithSnapshotThenRestoreIntoAnotherDatabaseBringsTheDroppedColumnBack() {
        String before = checksum(live);

        Cli.Outcome up = Cli.against(live.jdbcUrl(), dir, "up", "--snapshot", "--snapshot-dir", snapshots.toString());

        assertThat(up.exit()).as(up.err()).isEqualTo(ExitCode.DONE);
        assertThat(up.err()).contains("snapshot 1 taken: " + snapshots.toAbsolutePath()).contains("1 table: public.orders");
        assertThat(up.out()).contains("applied 1 migration");
        assertThat(live.value("select version || ' ' || scope from reverso.snapshots")).isEqualTo("1 tables");

        Cli.Outcome list = Cli.against(live.jdbcUrl(), dir, "snapshot", "list");
        assertThat(list.out()).contains("ID").contains("1 table").contains(" ok ").contains("_1.dump");
        Cli.Outcome json = Cli.against(live.jdbcUrl(), dir, "--format", "json", "snapshot", "list");
        assertThat(json.out()).contains("\"file\" : \"OK\"").contains("\"tables\" : [ \"public.orders\" ]");

        Cli.Outcome restore = Cli.against(live.jdbcUrl(), dir, "restore", "--snapshot", "1", "--into", other.jdbcUrl());

        assertThat(restore.exit()).as(restore.err()).isEqualTo(ExitCode.DONE);
        assertThat(restore.out()).contains("restored snapshot 1 into").contains("1 table, 500 rows").contains("public.orders  500");
        assertThat(checksum(other)).isEqualTo(before);

        Cli.Outcome again = Cli.against(live.jdbcUrl(), dir, "--format", "json", "restore", "--snapshot", "1", "--into", other.jdbcUrl());
        assertThat(again.exit()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(again.err()).contains("already has public.orders").contains("--clean");
        Cli.Outcome clean = Cli.against(live.jdbcUrl(), dir, "--format", "json", "restore", "--snapshot", "1", "--into", other.jdbcUrl(), "--clean");
        assertThat(clean.exit()).as(clean.err()).isEqualTo(ExitCode.DONE);
        assertThat(clean.out()).contains("\"rows\" : 500");
    }

    @Test
    void restoreRefusesTheLiveDatabaseAndAChangedFile() throws Exception {
        Cli.Outcome taken = Cli.against(live.jdbcUrl(), dir, "--format", "json", "snapshot", "--snapshot-dir", snapshots.toString());
        assertThat(taken.exit()).as(taken.err()).isEqualTo(ExitCode.DONE);
        assertThat(taken.out()).contains("\"scope\" : \"tables\"").contains("\"version\" : null");

        Cli.Outcome live1 = Cli.against(live.jdbcUrl(), dir, "restore", "--snapshot", "1", "--into", live.jdbcUrl());
        assertThat(live1.exit()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(live1.err().strip()).startsWith("reverso: refusing to restore into").contains("it is the live database")
                .doesNotContain("\n");

        Path file;
        try (var files = Files.list(snapshots)) {
            file = files.filter(f -> f.toString().endsWith("_manual.dump")).findFirst().orElseThrow();
        }
        Files.write(file, new byte[] {1, 2, 3}, StandardOpenOption.APPEND);
        Cli.Outcome changed = Cli.against(live.jdbcUrl(), dir, "restore", "--snapshot", "1", "--into", other.jdbcUrl());
        assertThat(changed.exit()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(changed.err()).contains("does not match the checksum recorded when it was taken");
        assertThat(other.tableExists("orders")).isFalse();
        assertThat(Cli.against(live.jdbcUrl(), dir, "snapshot", "list").out()).contains("CHANGED (checksum differs)");
    }

    @Test
    void withoutPgDumpUpSaysSoInOneLineAndRunsNothing() throws Exception {
        Path empty = Files.createTempDirectory(snapshots, "bin");

        Cli.Outcome up = Cli.against(live.jdbcUrl(), dir, "up", "--no-preflight", "--snapshot", "--snapshot-dir", snapshots.toString(),
                "--pg-bin", empty.toString());

        assertThat(up.exit()).isEqualTo(ExitCode.BAD_INPUT);
        assertThat(up.err().lines().toList()).hasSize(1);
        assertThat(up.err()).contains("pg_dump not found in " + empty)
                .contains("install the PostgreSQL client (apt-get install postgresql-client-");
        assertThat(live.tableExists("audit_trail")).isFalse();
        assertThat(live.value("select count(*) from information_schema.columns where table_name = 'orders'")).isEqualTo("2");
        assertThat(live.column("select action from reverso.audit")).doesNotContain("up");
        assertThat(live.value("select count(*) from reverso.migrations")).isEqualTo("0");
    }

    @Test
    void nothingTouchedIsSaidAndTheWholeDatabaseCanStillBeTaken() {
        new MigrationsDir(dir).delete("0001_drop_note.up.sql").delete("0001_drop_note.down.sql").write("0001_new.up.sql", "create table t (id int);");

        Cli.Outcome none = Cli.against(live.jdbcUrl(), dir, "snapshot", "--snapshot-dir", snapshots.toString());
        assertThat(none.exit()).isEqualTo(ExitCode.DONE);
        assertThat(none.out()).contains("no snapshot taken: the pending SQL migrations touch no existing table");

        Cli.Outcome all = Cli.against(live.jdbcUrl(), dir, "snapshot", "--all", "--snapshot-dir", snapshots.toString());
        assertThat(all.exit()).as(all.err()).isEqualTo(ExitCode.DONE);
        assertThat(all.out()).contains("snapshot 1 taken").contains("the whole database");
        assertThat(List.of(snapshots.toFile().list())).anyMatch(n -> n.endsWith("_manual.dump"));
    }
}
