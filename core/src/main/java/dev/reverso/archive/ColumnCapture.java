package dev.reverso.archive;

import dev.reverso.sql.Identifiers;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A column's values copied into the archive ahead of the statement that drops or retypes it, so
 * that the statement's own transaction copies nothing while it holds its lock.
 *
 * <p>Copying a million values takes about a second; inside the statement's transaction, under a
 * lock that keeps writers out, that second was a second of stalled application. Here the archive
 * table is made first (keyed like the table), then two triggers are put on the table (one short
 * lock, under the lock-timeout retry like any DDL): after an INSERT, and after an UPDATE that
 * changes the column or the key, they write the row's key and value into the archive. Then the
 * values are copied in batches of keys, each an autocommit statement that blocks no one; a value
 * a trigger wrote wins over the batch's older reading of it ({@code on conflict do nothing}), and a
 * batch's reading is overwritten by a later write ({@code on conflict do update}). When the
 * statement's transaction reaches the statement, it drops the triggers (the statement needs a
 * stronger lock anyway, so no write can slip in between) and the archive already holds every
 * value the statement destroys.
 *
 * <p>The triggers' function is {@code SECURITY DEFINER} (the archive's owner writes the archive,
 * whoever writes the table) with a fixed search_path. A capture whose statement never ran (the
 * migration failed, the process died) is dropped whole: {@link #drop}, or {@link #sweep} on the next run.
 */
final class ColumnCapture {

    /** Triggers and functions of captures are named with this prefix, so a sweep finds leftovers. */
    static final String PREFIX = "reverso_capture_";

    /** The comment of a capture's archive table until the statement's transaction adopts it: a sweep drops those. */
    private static final String UNUSED = "reverso: capture not yet used";

    /** Keys per copy batch: a batch is a short autocommit statement, and its WAL (which every commit of the application waits for, being written before its own) stays small. */
    private static final int BATCH = 2_000;

    final long id;
    final String archive;
    final TableShape shape;
    final TableShape.Column column;
    final List<String> key;
    private final String archiveSchema;
    private final StoredColumns stored;
    long copied;

    /** @param stored how the archive stores the columns; the key's columns are PostgreSQL's own types (batches walk them in order) */
    ColumnCapture(long id, String archive, TableShape shape, TableShape.Column column, String archiveSchema, StoredColumns stored) {
        this.id = id;
        this.stored = stored;
        this.archive = archive;
        this.shape = shape;
        this.column = column;
        this.key = shape.key();
        this.archiveSchema = archiveSchema;
    }

    private String table() {
        return Identifiers.qualified(shape.schema(), shape.name());
    }

    private String archiveTable() {
        return Identifiers.qualified(archiveSchema, archive);
    }

    private String function() {
        return Identifiers.qualified(archiveSchema, PREFIX + id);
    }

    private String trigger(String suffix) {
        return Identifiers.quote(PREFIX + id + "_" + suffix);
    }

    private List<String> kept() {
        List<String> all = new ArrayList<>(key);
        all.add(column.name());
        return all;
    }

    private String columns() {
        return kept().stream().map(Identifiers::quote).collect(Collectors.joining(", "));
    }

    private String keyList(String prefix) {
        return key.stream().map(k -> prefix + Identifiers.quote(k)).collect(Collectors.joining(", "));
    }

    /** The archive table, keyed, empty; made in autocommit before anything takes a lock on the table. */
    void createArchive(Connection c) throws SQLException {
        execute(c, "create table " + archiveTable() + " as select " + stored.select(kept(), "") + " from " + table() + " with no data");
        execute(c, "alter table " + archiveTable() + " add primary key (" + keyList("") + ")");
        execute(c, "comment on table " + archiveTable() + " is '" + UNUSED.replace("'", "''") + "'");
    }

    /**
     * The triggers, in one short transaction of their own: CREATE TRIGGER takes SHARE ROW
     * EXCLUSIVE on the table, so the caller runs this under the lock-timeout retry.
     */
    void createTriggers(Connection c) throws SQLException {
        String col = Identifiers.quote(column.name());
        String values = stored.values(kept(), "new.");
        execute(c, "create or replace function " + function() + "() returns trigger language plpgsql security definer"
                + " set search_path = pg_catalog, pg_temp as $reverso$ begin insert into " + archiveTable() + " (" + columns()
                + ") values (" + values + ") on conflict (" + keyList("") + ") do update set " + col + " = excluded." + col
                + "; return null; end $reverso$");
        execute(c, "revoke all on function " + function() + "() from public");
        String changed = "old." + col + " is distinct from new." + col + key.stream()
                .map(k -> " or old." + Identifiers.quote(k) + " is distinct from new." + Identifiers.quote(k))
                .collect(Collectors.joining());
        execute(c, "create trigger " + trigger("i") + " after insert on " + table() + " for each row execute function "
                + function() + "()");
        execute(c, "create trigger " + trigger("u") + " after update on " + table() + " for each row when (" + changed
                + ") execute function " + function() + "()");
    }

    /**
     * Copies the values in batches of keys, each batch its own autocommit statement.
     *
     * @param between called before each batch (the run's pacing and stop checks)
     */
    void copy(Connection c, Archiver.Pacer between) throws SQLException {
        String order = keyList("");
        String last = keyList("b.");
        String casts = shape.key().stream().map(k -> "?::" + shape.column(k).orElseThrow().type()).collect(Collectors.joining(", "));
        String first = "with b as (select " + stored.select(kept(), "") + " from " + table() + " order by " + order + " limit " + BATCH + ")";
        String next = "with b as (select " + stored.select(kept(), "") + " from " + table() + " where (" + order + ") > (" + casts + ")"
                + " order by " + order + " limit " + BATCH + ")";
        String rest = ", i as (insert into " + archiveTable() + " select * from b on conflict do nothing)"
                + " select count(*) over (), " + last + " from b order by "
                + key.stream().map(k -> "b." + Identifiers.quote(k) + " desc").collect(Collectors.joining(", ")) + " limit 1";
        String[] at = null;
        while (true) {
            between.pace();
            try (PreparedStatement ps = c.prepareStatement((at == null ? first : next) + rest)) {
                if (at != null) {
                    for (int i = 0; i < at.length; i++) {
                        ps.setString(i + 1, at[i]);
                    }
                }
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return;
                    }
                    long n = rs.getLong(1);
                    copied += n;
                    at = new String[key.size()];
                    for (int i = 0; i < at.length; i++) {
                        at[i] = rs.getString(i + 2);
                    }
                    if (n < BATCH) {
                        return;
                    }
                }
            }
        }
    }

    /** Whether the triggers are still on the table this capture was made for (a transaction rolled back keeps them). */
    boolean live(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select count(*) from pg_trigger where tgrelid = ? and tgname in (?, ?)")) {
            ps.setLong(1, shape.oid());
            ps.setString(2, PREFIX + id + "_i");
            ps.setString(3, PREFIX + id + "_u");
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getInt(1) == 2;
            }
        }
    }

    /**
     * In the statement's transaction: the triggers go (with their function, in one statement: from
     * here to the commit writers wait, so the transaction does as little as it can), the archive
     * stays and is the entry's.
     */
    void adopt(Connection c) throws SQLException {
        stopCapturing(c);
    }

    /** After the statement's transaction committed: the archive table is an entry's now, not a capture's. */
    void adopted(Connection c) throws SQLException {
        execute(c, "comment on table " + archiveTable() + " is null");
    }

    private void stopCapturing(Connection c) throws SQLException {
        execute(c, "drop function if exists " + function() + "() cascade");
    }

    /** A capture whose statement did not run: triggers, function and archive table go, each in autocommit. */
    void drop(Connection c) throws SQLException {
        stopCapturing(c);
        execute(c, "drop table if exists " + archiveTable());
    }

    /**
     * Drops what a capture left behind when its run died: triggers named {@value #PREFIX}... whose
     * function is in the archive schema, their functions, and archive tables no entry names.
     *
     * @param index the archive index, to tell a capture's table from a kept archive
     */
    static void sweep(Connection c, ArchiveIndex index) throws SQLException {
        List<String[]> triggers = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select format('%I.%I', n.nspname, r.relname), quote_ident(t.tgname)"
                + " from pg_trigger t join pg_class r on r.oid = t.tgrelid join pg_namespace n on n.oid = r.relnamespace"
                + " join pg_proc p on p.oid = t.tgfoid join pg_namespace pn on pn.oid = p.pronamespace"
                + " where t.tgname like 'reverso\\_capture\\_%' and pn.nspname = ?")) {
            ps.setString(1, index.archiveSchema());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    triggers.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
        }
        for (String[] t : triggers) {
            execute(c, "drop trigger if exists " + t[1] + " on " + t[0]);
        }
        List<String> leftovers = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select format('drop function %I.%I()', n.nspname, p.proname)"
                + " from pg_proc p join pg_namespace n on n.oid = p.pronamespace where n.nspname = ? and p.proname like"
                + " 'reverso\\_capture\\_%' union all select format('drop table %I.%I', n.nspname, r.relname) from pg_class r"
                + " join pg_namespace n on n.oid = r.relnamespace where n.nspname = ? and r.relkind = 'r'"
                + " and obj_description(r.oid, 'pg_class') = ? and pg_has_role(r.relowner, 'MEMBER')"
                + " and r.relname not in (select archive_table from " + index.table() + " where archive_table is not null)")) {
            ps.setString(1, index.archiveSchema());
            ps.setString(2, index.archiveSchema());
            ps.setString(3, UNUSED);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    leftovers.add(rs.getString(1));
                }
            }
        }
        for (String drop : leftovers) {
            execute(c, drop);
        }
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (java.sql.Statement st = c.createStatement()) {
            st.setEscapeProcessing(false);
            st.execute(sql);
        }
    }
}
