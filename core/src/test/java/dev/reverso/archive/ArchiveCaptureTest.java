package dev.reverso.archive;

import dev.reverso.DownTarget;
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

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A large column is copied into the archive ahead of its DROP, in batches, with triggers
 * capturing what writers change meanwhile: every value the DROP destroys is in the archive,
 * and nothing of the capture is left on the table afterwards.
 */
class ArchiveCaptureTest {

    static ScratchDatabase db;

    @TempDir
    Path dir;
    MigrationsDir files;
    final List<Event> events = new ArrayList<>();

    @BeforeAll
    static void createDatabase() {
        db = ScratchDatabase.create(ArchiveCaptureTest.class);
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
        db.execute("create table members (id int primary key, nick text, score int)");
        db.execute("insert into members select g, 'n' || g, g from generate_series(1, 30000) g");
        db.execute("analyze members");
    }

    /** id to nick of a table, in one query. */
    private static Map<Integer, String> nicks(String table) throws SQLException {
        Map<Integer, String> nicks = new java.util.HashMap<>();
        try (Connection c = db.connect(); var rs = c.createStatement().executeQuery("select id, nick from " + table)) {
            while (rs.next()) {
                nicks.put(rs.getInt(1), rs.getString(2));
            }
        }
        return nicks;
    }

    private Reverso reverso() {
        return Reverso.with(ReversoConfig.of(db.url(), dir).withListener(events::add));
    }

    /** A writer changing nicks and adding members until the column is gone; the last value it committed per id. */
    private static final class Writer implements AutoCloseable {
        final Map<Integer, String> committed = new ConcurrentHashMap<>();
        final AtomicBoolean running = new AtomicBoolean(true);
        final Thread thread;
        volatile int writes;

        Writer() {
            thread = new Thread(() -> {
                try (Connection c = DriverManager.getConnection(db.jdbcUrl(), "postgres", "")) {
                    PreparedStatement update = c.prepareStatement("update members set nick = ? where id = ?");
                    PreparedStatement insert = c.prepareStatement("insert into members (id, nick, score) values (?, ?, 0)");
                    int next = 40000;
                    while (running.get()) {
                        try {
                            if (writes % 5 == 0) {
                                String nick = "new" + next;
                                insert.setInt(1, next);
                                insert.setString(2, nick);
                                insert.executeUpdate();
                                committed.put(next++, nick);
                            } else {
                                int id = 1 + ThreadLocalRandom.current().nextInt(30000);
                                String nick = "w" + writes + "_" + id;
                                update.setString(1, nick);
                                update.setInt(2, id);
                                update.executeUpdate();
                                committed.put(id, nick);
                            }
                            writes++;
                        } catch (SQLException gone) {
                            return; // the column is gone: the writes after the DROP are not the archive's concern
                        }
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join();
        }
    }

    @Test
    void everyValueWrittenWhileTheColumnIsCopiedAheadIsInTheArchiveAndComesBack() throws Exception {
        files.pair("0001_drop_nick", "alter table members drop column nick;", "alter table members add column nick text;");
        try (Writer writer = new Writer()) {
            Thread.sleep(200);
            reverso().up(Optional.empty());
            writer.close();
            assertThat(writer.writes).isGreaterThan(10);
            assertThat(db.value("select count(*) from pg_trigger where tgname like 'reverso_capture_%'")).isEqualTo("0");
            assertThat(db.value("select count(*) from pg_proc where proname like 'reverso_capture_%'")).isEqualTo("0");
            String archive = db.value("select archive_table from reverso.archives");
            assertThat(db.value("select obj_description(('reverso_archive.' || quote_ident('" + archive + "'))::regclass)")).isNull();
            assertThat(db.value("select row_count from reverso.archives")).isEqualTo(db.value("select count(*) from members"));

            reverso().down(new DownTarget.Count(1));

            Map<Integer, String> restored = nicks("members");
            for (Map.Entry<Integer, String> w : writer.committed.entrySet()) {
                assertThat(restored.get(w.getKey())).as("id " + w.getKey()).isEqualTo(w.getValue());
            }
            assertThat(db.value("select count(*) from members where nick is null")).isEqualTo("0");
            assertThat(db.value("select count(*) from members where id <= 30000 and nick <> 'n' || id"))
                    .isEqualTo(String.valueOf(writer.committed.keySet().stream().filter(id -> id <= 30000).count()));
        }
    }

    @Test
    void aMigrationThatFailsAfterTheCopyLeavesNoTriggerNoFunctionAndNoArchive() {
        files.pair("0001_drop_nick", "alter table members drop column nick;\nselect 1/0;", "alter table members add column nick text;");
        assertThatThrownBy(() -> reverso().up(Optional.empty())).isInstanceOf(ReversoException.class);
        assertThat(db.value("select count(*) from pg_trigger where tgname like 'reverso_capture_%'")).isEqualTo("0");
        assertThat(db.value("select count(*) from pg_proc where proname like 'reverso_capture_%'")).isEqualTo("0");
        assertThat(db.value("select count(*) from pg_tables where schemaname = 'reverso_archive'")).isEqualTo("0");
        assertThat(db.value("select count(*) from members where nick = 'n' || id")).isEqualTo("30000");
    }

    @Test
    void whatADeadRunsCaptureLeftIsDroppedByTheNextRun() throws Exception {
        files.pair("0001_drop_score", "alter table members drop column score;", "alter table members add column score int;");
        Reverso reverso = reverso();
        reverso.up(Optional.empty());
        // A run that died between its copy and its transaction: triggers, function and an unused archive table.
        ArchiveIndex index = new ArchiveIndex(new dev.reverso.history.ReversoSchema("reverso"));
        Archiver archiver = new Archiver(index, Archiving.BOUNDED);
        try (Connection c = db.connect()) {
            var statement = dev.reverso.sql.StatementSplitter.split("alter table members drop column nick").get(0);
            archiver.captureAhead(c, "2", 1, statement, work -> {
                work.run();
                return true;
            }, () -> { });
        }
        assertThat(db.value("select count(*) from pg_trigger where tgname like 'reverso_capture_%'")).isEqualTo("2");
        files.pair("0002_drop_nick", "alter table members drop column nick;", "alter table members add column nick text;");
        reverso.up(Optional.empty());
        assertThat(db.value("select count(*) from pg_trigger where tgname like 'reverso_capture_%'")).isEqualTo("0");
        assertThat(db.value("select count(*) from pg_proc where proname like 'reverso_capture_%'")).isEqualTo("0");
        assertThat(db.value("select count(*) from pg_tables where schemaname = 'reverso_archive'")).isEqualTo("2");
        assertThat(db.value("select count(*) from reverso.archives")).isEqualTo("2");
    }

    @Test
    void completeOfAnAlterColumnCopiesTheReplacedColumnAheadWithTheWritesMadeMeanwhile() throws Exception {
        files.write("0001_nick_varchar.json", """
                {"operations": [{"alter_column": {"table": "members", "column": "nick", "type": "varchar(40)",
                  "up": "nick", "down": "nick"}}]}""");
        Reverso reverso = reverso();
        reverso.start("1");
        // Each write with the server's time, to tell the writes before the swap's transaction from those after.
        List<Object[]> writes = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean running = new AtomicBoolean(true);
        Thread writer = new Thread(() -> {
            try (Connection c = DriverManager.getConnection(db.jdbcUrl(), "postgres", "")) {
                PreparedStatement update = c.prepareStatement("update members set nick = ? where id = ? returning clock_timestamp()");
                for (int n = 0; running.get(); n++) {
                    int id = 1 + ThreadLocalRandom.current().nextInt(30000);
                    update.setString(1, "w" + n);
                    update.setInt(2, id);
                    try (var rs = update.executeQuery()) {
                        rs.next();
                        writes.add(new Object[] {id, "w" + n, rs.getTimestamp(1).toInstant()});
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        writer.start();
        Thread.sleep(200);
        reverso.complete();
        running.set(false);
        writer.join();
        assertThat(db.value("select count(*) from pg_trigger where tgname like 'reverso_capture_%'")).isEqualTo("0");
        List<ArchiveEntry> archive = reverso.archive();
        assertThat(archive).singleElement().satisfies(e -> assertThat(e.rows()).isEqualTo(30000));
        java.time.Instant swap = archive.get(0).createdAt();
        Map<Integer, String> before = new java.util.HashMap<>();
        java.util.Set<Integer> after = new java.util.HashSet<>();
        for (Object[] w : writes) {
            if (((java.time.Instant) w[2]).isBefore(swap)) {
                before.put((Integer) w[0], (String) w[1]);
            } else {
                after.add((Integer) w[0]);
            }
        }
        assertThat(before).hasSizeGreaterThan(10);
        Map<Integer, String> archived = nicks("reverso_archive." + archive.get(0).archiveTable());
        for (int id = 1; id <= 30000; id++) {
            if (!after.contains(id)) {
                assertThat(archived.get(id)).as("id " + id).isEqualTo(before.getOrDefault(id, "n" + id));
            }
        }
    }

    @Test
    void aLargeColumnIsPutBackInBatchesAfterTheDownsTransactionUnlessALaterStatementNeedsIt() {
        files.pair("0001_drop_nick", "alter table members drop column nick;", "alter table members add column nick text;");
        files.pair("0002_drop_score", "alter table members drop column score;",
                "alter table members add column score int;\nalter table members alter column score set not null;");
        reverso().up(Optional.empty());
        reverso().down(new DownTarget.Count(2));
        assertThat(db.value("select restore_note from reverso.archives where source_table = 'members' and detail::jsonb->>'column' = 'nick'"))
                .startsWith("restored 30000 values of public.members.nick").endsWith("in batches after the down committed");
        assertThat(db.value("select restore_note from reverso.archives where detail::jsonb->>'column' = 'score'")).startsWith("restored 30000");
        assertThat(db.value("select restore_note from reverso.archives where detail::jsonb->>'column' = 'score'")).doesNotContain("batches");
        assertThat(db.value("select count(*) from members where nick = 'n' || id and score = id")).isEqualTo("30000");
    }

    @Test
    void aBatchedRestoreThatARunLeftHalfDoneIsFinishedByTheNextRun() {
        files.pair("0001_drop_nick", "alter table members drop column nick;", "alter table members add column nick text;");
        reverso().up(Optional.empty());
        reverso().down(new DownTarget.Count(1));
        // As if the run had died after the down's commit, half way through the batches.
        db.execute("update members set nick = null where id > 15000");
        db.execute("update reverso.archives set restored_at = null, restore_note = '" + Restorer.DEFERRED.replace("'", "''") + "'");
        reverso().down(new DownTarget.Count(1));
        assertThat(db.value("select count(*) from members where nick = 'n' || id")).isEqualTo("30000");
        assertThat(db.value("select restored_at is not null from reverso.archives")).isEqualTo("t");
    }
}
