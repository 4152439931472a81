package dev.reverso.archive;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reverso.Database;
import dev.reverso.DatabaseUrl;
import dev.reverso.ReversoException;
import dev.reverso.catalog.Catalog;
import dev.reverso.history.Ledger;
import dev.reverso.history.SnapshotRow;
import dev.reverso.sql.Identifiers;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Snapshots: pg_dump files (custom format) of the tables the pending migrations touch, or of the
 * whole database, recorded in {@code reverso.snapshots} with their size and SHA-256; and their
 * restore, with pg_restore, into another database, never the live one.
 */
public final class Snapshots {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Connection c;
    private final Ledger ledger;
    private final DatabaseUrl url;
    private final String actor;
    private final String applicationName;
    private final Duration lockWait;

    /**
     * @param c a connection to the live database, in autocommit mode, its Reverso schema in place
     * @param url the live database, for pg_dump
     * @param actor who is acting, recorded with each snapshot
     * @param lockWait how long pg_dump may wait for its share locks on the tables
     */
    public Snapshots(Connection c, Ledger ledger, DatabaseUrl url, String actor, String applicationName, Duration lockWait) {
        this.c = c;
        this.ledger = ledger;
        this.url = url;
        this.actor = actor;
        this.applicationName = applicationName;
        this.lockWait = lockWait;
    }

    /** A table by its schema and name, as stored. */
    record Table(String schema, String name) {
        String qualified() {
            return Identifiers.qualified(schema, name);
        }
    }

    /** What {@code reverso.snapshots.detail} holds: the tables dumped and the pg_dump that dumped them. */
    record Detail(List<List<String>> tables, String pgDump, int pgDumpMajor) {
        List<Table> tableList() {
            return tables.stream().map(t -> new Table(t.get(0), t.get(1))).toList();
        }
    }

    /**
     * Dumps the tables named (as the classifier reports them; those that do not exist yet, and
     * anything but tables, are left out) or, with {@link SnapshotRequest#all()}, the whole
     * database, and records the file.
     *
     * @param relations the relations the pending statements lock, as written
     * @param version the migration the snapshot is taken before, or null
     * @return empty when none of the relations is an existing table
     * @throws ReversoException BAD_INPUT when pg_dump is missing or too old or the folder cannot be
     *     written, UNREACHABLE when pg_dump fails; no row and no file are left then
     */
    public Optional<Snapshot> take(SnapshotRequest request, Collection<String> relations, String version) throws SQLException {
        long start = System.nanoTime();
        int major = new Catalog(c).serverMajor();
        List<Table> tables = request.all() ? allTables() : existingTables(relations);
        if (tables.isEmpty() && !request.all()) {
            return Optional.empty();
        }
        PgTools.Tool pgDump = request.tools().find("pg_dump", major, major);
        Path file = newFile(request.dir(), version);
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        List<String> command = new ArrayList<>(List.of(pgDump.program().toString(), "--format=custom", "--no-password",
                "--lock-wait-timeout=" + Math.max(1, lockWait.toMillis()), "--file=" + partial));
        if (!request.all()) {
            // Patterns, not names: each part quoted where needed, so a name is matched literally.
            command.add("--strict-names");
            tables.forEach(t -> command.add("--table=" + t.qualified()));
        }
        String what = "pg_dump of " + (request.all() ? "the database" : tables(tables.size()));
        String sha256;
        long bytes;
        try {
            createPrivate(partial);
            ClientRun.run(command, ClientTarget.of(url), what);
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
            sha256 = sha256(file);
            bytes = Files.size(file);
        } catch (ReversoException e) {
            ReversoException told = e.getMessage().contains("statement timeout") ? new ReversoException(e.kind(), e.getMessage()
                    + " (pg_dump waited " + lockWait.toMillis() + " ms, --max-lock-wait, for a share lock on the tables:"
                    + " another session holds a conflicting lock; see reverso preflight)") : e;
            ledger.audit().record(c, "snapshot", version, "failed", told.getMessage());
            throw told;
        } catch (IOException e) {
            throw ReversoException.badInput("cannot write the snapshot " + file + ": " + e.getMessage());
        } finally {
            deleteQuietly(partial);
        }
        String scope = request.all() ? "database" : "tables";
        String detail = detail(tables, pgDump);
        String path = file.toAbsolutePath().toString();
        long id = ledger.snapshots().insert(c, version, scope, path, bytes, sha256, actor, detail);
        ledger.audit().record(c, "snapshot", version, "taken", "snapshot " + id + " (" + scope + ", " + tables(tables.size())
                + "): " + path + ", " + bytes + " bytes, sha256 " + sha256);
        return Optional.of(new Snapshot(id, version, scope, path, bytes, sha256, tables.stream().map(Table::qualified).toList(),
                (System.nanoTime() - start) / 1_000_000));
    }

    /** Every snapshot recorded, oldest first, with whether its file is there and unchanged. */
    public List<SnapshotStatus> list() throws SQLException {
        List<SnapshotStatus> out = new ArrayList<>();
        for (SnapshotRow row : ledger.snapshots().all(c)) {
            out.add(new SnapshotStatus(row.id(), row.createdAt(), row.createdBy(), row.version(), row.scope(), row.bytes(),
                    row.path(), detailOf(row).tableList().stream().map(Table::qualified).toList(), fileState(row)));
        }
        return out;
    }

    /**
     * Restores a snapshot into another database with pg_restore (no owners, no grants, one
     * transaction: all or nothing). Refuses, before anything is written, a file whose checksum
     * differs from the recorded one, the live database itself (the same server, by system
     * identifier and start time, and the same database), a standby, and a target that already has
     * one of the snapshot's tables unless {@code clean}, which drops and replaces them.
     *
     * @throws ReversoException BAD_INPUT for a refusal or a missing pg_restore, UNREACHABLE when
     *     the target cannot be reached or pg_restore fails (nothing is left in the target then)
     */
    public RestoreReport restore(long id, DatabaseUrl into, boolean clean, PgTools tools) throws SQLException {
        long start = System.nanoTime();
        SnapshotRow row = ledger.snapshots().find(c, id)
                .orElseThrow(() -> ReversoException.badInput("no snapshot " + id + " (see reverso snapshot list)"));
        refuseUntrusted(row);
        Detail detail = detailOf(row);
        List<Table> tables = detail.tableList();
        try (Connection target = new Database(into, applicationName).connect()) {
            refuseLive(target, into);
            List<String> present = new ArrayList<>();
            Catalog catalog = new Catalog(target);
            for (Table t : tables) {
                if (catalog.relationExists(t.schema(), t.name())) {
                    present.add(t.qualified());
                }
            }
            if (!present.isEmpty() && !clean) {
                throw ReversoException.badInput(into.display() + " already has " + String.join(", ", present)
                        + " (in snapshot " + id + "); restore into a database without them, or pass --clean to drop and replace them");
            }
            int targetMajor = catalog.serverMajor();
            PgTools.Tool pgRestore = tools.find("pg_restore", targetMajor, Math.max(detail.pgDumpMajor(), 1));
            List<String> created = row.scope().equals("tables") ? createSchemas(target, tables) : List.of();
            List<String> command = new ArrayList<>(List.of(pgRestore.program().toString(), "--no-owner", "--no-privileges",
                    "--exit-on-error", "--single-transaction", "--no-password", ClientTarget.of(into).dbnameOption()));
            if (clean) {
                command.addAll(List.of("--clean", "--if-exists"));
            }
            command.add(row.path());
            try {
                ClientRun.run(command, ClientTarget.of(into), "pg_restore of snapshot " + id + " into " + into.display());
            } catch (ReversoException e) {
                dropSchemas(target, created);
                throw e;
            }
            List<RestoreReport.Restored> restored = new ArrayList<>();
            for (Table t : tables) {
                restored.add(new RestoreReport.Restored(t.qualified(), count(target, t)));
            }
            RestoreReport report = new RestoreReport(id, into.display(), restored, (System.nanoTime() - start) / 1_000_000);
            ledger.audit().record(c, "restore", row.version(), "restored", "snapshot " + id + " into " + into.display() + ": "
                    + tables(restored.size()) + ", " + report.rows() + " rows");
            return report;
        }
    }

    /** Every table of the database but the system's and extensions' own. */
    private List<Table> allTables() throws SQLException {
        String sql = "select n.nspname, c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace"
                + " where c.relkind in ('r','p') and n.nspname not in ('pg_catalog','information_schema')"
                + " and n.nspname not like 'pg\\_toast%' and n.nspname not like 'pg\\_temp%'"
                + " and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid"
                + " and d.deptype = 'e') order by 1, 2";
        List<Table> out = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                out.add(new Table(rs.getString(1), rs.getString(2)));
            }
        }
        return out;
    }

    /**
     * The tables among the relations, with the partitions of a partitioned one (pg_dump dumps a
     * partitioned table's rows only through its partitions); Reverso's own tables are left out.
     */
    private List<Table> existingTables(Collection<String> relations) throws SQLException {
        String sql = "select n.nspname, c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace"
                + " where c.relkind in ('r','p') and n.nspname <> ?"
                + " and (c.oid = to_regclass(?) or c.oid in (select relid from pg_partition_tree(to_regclass(?))))"
                + " order by c.oid = to_regclass(?) desc, 1, 2";
        Set<Table> out = new LinkedHashSet<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (String relation : relations) {
                String text = Catalog.regclassText(relation);
                ps.setString(1, ledger.schema().name());
                ps.setString(2, text);
                ps.setString(3, text);
                ps.setString(4, text);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Table(rs.getString(1), rs.getString(2)));
                    }
                }
            }
        }
        return List.copyOf(out);
    }

    /** {@code <dir>/<UTC timestamp>_<version or manual>.dump}, with a counter when that is taken. */
    private static Path newFile(Path dir, String version) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw ReversoException.badInput("--snapshot-dir " + dir + ": cannot create it: " + e.getMessage());
        }
        if (!Files.isWritable(dir)) {
            throw ReversoException.badInput("--snapshot-dir " + dir + ": cannot write there");
        }
        String base = STAMP.format(Instant.now()) + "_" + (version == null ? "manual" : version.replaceAll("[^A-Za-z0-9._-]", "_"));
        Path file = dir.resolve(base + ".dump");
        for (int n = 2; Files.exists(file); n++) {
            file = dir.resolve(base + "_" + n + ".dump");
        }
        return file;
    }

    private static String tables(int n) {
        return n + (n == 1 ? " table" : " tables");
    }

    /**
     * Creates the file pg_dump then writes into (keeping its permissions) readable by its owner
     * only: it holds the tables' rows.
     */
    private static void createPrivate(Path file) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        }
    }

    private static String detail(List<Table> tables, PgTools.Tool pgDump) {
        try {
            return JSON.writeValueAsString(new Detail(tables.stream().map(t -> List.of(t.schema(), t.name())).toList(),
                    pgDump.version(), pgDump.major()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Detail detailOf(SnapshotRow row) {
        try {
            return JSON.readValue(row.detail(), Detail.class);
        } catch (IOException | RuntimeException e) {
            throw ReversoException.badInput("snapshot " + row.id() + ": its record in the history is not readable (" + e.getMessage() + ")");
        }
    }

    private static SnapshotStatus.FileState fileState(SnapshotRow row) {
        Path file = Path.of(row.path());
        if (!Files.isRegularFile(file)) {
            return SnapshotStatus.FileState.MISSING;
        }
        try {
            return sha256(file).equals(row.sha256()) ? SnapshotStatus.FileState.OK : SnapshotStatus.FileState.CHANGED;
        } catch (IOException e) {
            return SnapshotStatus.FileState.MISSING;
        }
    }

    private static void refuseUntrusted(SnapshotRow row) {
        switch (fileState(row)) {
            case MISSING -> throw ReversoException.badInput("snapshot " + row.id() + ": " + row.path() + " is gone or unreadable");
            case CHANGED -> throw ReversoException.badInput("snapshot " + row.id() + ": " + row.path() + " does not match the"
                    + " checksum recorded when it was taken (sha256 " + row.sha256().substring(0, 12) + "...); it was changed"
                    + " or damaged since, refusing to restore it");
            default -> { }
        }
    }

    /** Who a server and database are: enough to tell the live database from any other. */
    private record Identity(String systemIdentifier, String startedAt, String database, long databaseOid, boolean standby) {

        static Identity of(Connection c) throws SQLException {
            String system = null;
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("select system_identifier::text from pg_control_system()")) {
                system = rs.next() ? rs.getString(1) : null;
            } catch (SQLException e) {
                // Not allowed for this role: the start time and the database's oid still tell servers apart.
            }
            String sql = "select pg_postmaster_start_time()::text, current_database(),"
                    + " (select oid from pg_database where datname = current_database())::bigint, pg_is_in_recovery()";
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                rs.next();
                return new Identity(system, rs.getString(1), rs.getString(2), rs.getLong(3), rs.getBoolean(4));
            }
        }
    }

    /**
     * The live database is the same server (the system identifier, which a physical copy shares,
     * and the postmaster's start time, which it does not) and the same database (name and oid).
     * Host names are not compared: two names can reach one server, and a tunnel or pooler can
     * make one name reach another.
     */
    private void refuseLive(Connection target, DatabaseUrl into) throws SQLException {
        Identity live = Identity.of(c);
        Identity there = Identity.of(target);
        // A role may read pg_control_system() on one side and not the other: a missing identifier proves nothing.
        boolean sameSystem = live.systemIdentifier() == null || there.systemIdentifier() == null
                || live.systemIdentifier().equals(there.systemIdentifier());
        if (sameSystem && live.startedAt().equals(there.startedAt())
                && live.database().equals(there.database()) && live.databaseOid() == there.databaseOid()) {
            throw ReversoException.badInput("refusing to restore into " + into.display() + ": it is the live database (same server"
                    + (live.systemIdentifier() == null ? "" : ", system identifier " + live.systemIdentifier()) + ", same database '"
                    + live.database() + "'); create another database and restore into it");
        }
        if (there.standby()) {
            throw ReversoException.badInput("refusing to restore into " + into.display() + ": it is a standby (read only)");
        }
    }

    /** Creates the schemas of the tables that the target lacks (a table dump holds no CREATE SCHEMA); returns them. */
    private static List<String> createSchemas(Connection target, List<Table> tables) throws SQLException {
        List<String> created = new ArrayList<>();
        Catalog catalog = new Catalog(target);
        for (String schema : tables.stream().map(Table::schema).distinct().toList()) {
            if (!catalog.schemaExists(schema)) {
                try (Statement st = target.createStatement()) {
                    st.execute("create schema " + Identifiers.quote(schema));
                }
                created.add(schema);
            }
        }
        return created;
    }

    /** Drops the schemas created for a restore that failed; they are empty, since the restore was one transaction. */
    private static void dropSchemas(Connection target, List<String> schemas) throws SQLException {
        for (String schema : schemas) {
            try (Statement st = target.createStatement()) {
                st.execute("drop schema if exists " + Identifiers.quote(schema));
            }
        }
    }

    private static long count(Connection target, Table t) throws SQLException {
        try (Statement st = target.createStatement(); ResultSet rs = st.executeQuery("select count(*) from " + t.qualified())) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // A leftover .partial file is harmless: it is never listed as a snapshot.
        }
    }
}
