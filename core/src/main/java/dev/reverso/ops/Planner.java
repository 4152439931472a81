package dev.reverso.ops;

import dev.reverso.sql.Identifiers;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the operations of one migration into a {@link Plan}. Each operation validates itself
 * against {@link #schema()}, changes it as the new version will see it, and registers the steps of
 * each phase here. Validation that only the server can do (does this type exist, does this
 * expression compile against the table) is asked of the server, read-only.
 */
public final class Planner {

    private final Connection connection;
    private final PlannedSchema schema;
    private final String reversoSchema;
    private final String version;
    private final String versionSchema;
    private final String previousSchema;
    private final int serverMajor;
    private final Map<String, List<LiveColumn>> originalColumns = new HashMap<>();
    private final List<Action> expand = new ArrayList<>();
    private final List<Action> build = new ArrayList<>();
    private final Map<String, Action.Backfill> backfills = new LinkedHashMap<>();
    private final List<Action> contract = new ArrayList<>();
    private final List<Action> afterRenames = new ArrayList<>();
    private final Map<String, List<String>> swaps = new LinkedHashMap<>();
    private final List<Action> undo = new ArrayList<>();
    private boolean rebuildViewsOnComplete;
    private int triggers;

    Planner(Connection connection, PlannedSchema schema, String reversoSchema, String version, String versionSchema,
            String previousSchema, int serverMajor) {
        this.connection = connection;
        this.schema = schema;
        this.reversoSchema = reversoSchema;
        this.version = version;
        this.versionSchema = versionSchema;
        this.previousSchema = previousSchema;
        this.serverMajor = serverMajor;
        for (LiveTable t : schema.tables()) {
            originalColumns.put(t.physical(), t.columns());
        }
    }

    /** The schema as the new version sees it so far. */
    public PlannedSchema schema() {
        return schema;
    }

    String versionSchema() {
        return versionSchema;
    }

    /** A table the new version has, or the document error naming the path. */
    LiveTable table(String path, String name) throws DocumentError {
        return schema.table(name).orElseThrow(() -> new DocumentError(path, "table " + name + " does not exist in schema "
                + schema.name()));
    }

    LiveColumn column(String path, LiveTable table, String name) throws DocumentError {
        return table.column(name).orElseThrow(() -> new DocumentError(path, "column " + name + " does not exist in table "
                + table.name()));
    }

    /** The qualified physical name of a table. */
    String qualified(LiveTable table) {
        return Identifiers.qualified(schema.name(), table.physical());
    }

    String qualified(String tableName) {
        return Identifiers.qualified(schema.name(), tableName);
    }

    /** The name a column has while its change is in progress. */
    String temporary(String column) {
        return shortened("_reverso_new_" + column);
    }

    /** A name for an object Reverso creates for this migration, unique within it. */
    String internalName(String what) {
        return shortened("_reverso_" + version + "_" + what);
    }

    /** The server checks that a type name parses and exists. */
    void checkType(String path, String type) throws DocumentError {
        // serial and friends are CREATE TABLE shorthands, not types a cast knows.
        String castable = type.trim().toLowerCase(java.util.Locale.ROOT).matches("(small|big)?serial[248]?")
                ? "bigint" : type;
        ask(path, "select null::" + castable, "type " + type + " is not valid");
    }

    /** The server checks that an expression compiles against a table's columns (as they are now). */
    void checkExpression(String path, LiveTable table, String expression) throws DocumentError {
        if (table.createdHere()) {
            return;
        }
        ask(path, "select (" + expression + ") from " + qualified(table) + " limit 0", "expression does not compile");
    }

    /** Whether an ADD COLUMN with this default would rewrite the table (a volatile default). */
    boolean volatileDefault(String type, String defaultExpr) throws SQLException {
        String t = "reverso_default_probe";
        boolean auto = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement st = connection.createStatement()) {
            st.execute("create temporary table " + t + " (x int)");
            st.execute("insert into " + t + " values (1)");
            st.execute("alter table " + t + " add column y " + type + " default " + defaultExpr);
            try (ResultSet rs = st.executeQuery("select atthasmissing from pg_attribute where attrelid = '" + t
                    + "'::regclass and attname = 'y'")) {
                rs.next();
                return !rs.getBoolean(1);
            }
        } finally {
            connection.rollback();
            connection.setAutoCommit(auto);
        }
    }

    /** The table's replica identity as ALTER TABLE spells it, to put it back on rollback. */
    String replicaIdentity(LiveTable table) throws SQLException {
        String sql = "select c.relreplident, (select x.relname from pg_index i join pg_class x on x.oid = i.indexrelid"
                + " where i.indrelid = c.oid and i.indisreplident) from pg_class c where c.oid = ?::regclass";
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            ps.setString(1, qualified(table));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return switch (rs.getString(1)) {
                    case "f" -> "FULL";
                    case "n" -> "NOTHING";
                    case "i" -> "USING INDEX " + Identifiers.quote(rs.getString(2));
                    default -> "DEFAULT";
                };
            }
        }
    }

    private void ask(String path, String sql, String problem) throws DocumentError {
        // Read only and rolled back: an expression from the document must not change anything yet.
        try {
            connection.setAutoCommit(false);
            try (Statement st = connection.createStatement()) {
                st.execute("set transaction read only");
                st.execute(sql);
            } finally {
                connection.rollback();
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new DocumentError(path, problem + ": " + dev.reverso.Database.serverMessage(e));
        }
    }

    /** Expand-phase DDL, run in order before any index build or backfill. */
    void expand(String what, String... statements) {
        expand.add(new Action.Sql(what, List.of(statements), null));
    }

    void expand(String what, List<String> statements) {
        expand.add(new Action.Sql(what, statements, null));
    }

    /** A concurrent index build, after the backfill so it indexes the filled column in one pass. */
    void buildIndex(String what, String createSql, String indexName) {
        String drop = "DROP INDEX CONCURRENTLY IF EXISTS " + Identifiers.qualified(schema.name(), indexName);
        build.add(new Action.Sql(what, List.of(createSql), drop));
        undoLater(what.replaceFirst("^build", "drop"), drop);
    }

    /** Fills a new physical column of a table's existing rows from an expression over its old columns. */
    void backfill(LiveTable table, String path, String column, String expression) throws DocumentError {
        if (table.createdHere()) {
            return;
        }
        List<String> key = table.batchKey();
        if (key.isEmpty()) {
            throw new DocumentError(path, "table " + table.name() + " has no primary key and no unique index on NOT NULL"
                    + " columns, so its rows cannot be backfilled in batches; add one first");
        }
        Action.Backfill existing = backfills.get(table.physical());
        Map<String, String> set = new LinkedHashMap<>(existing == null ? Map.of() : existing.set());
        set.put(column, expression);
        List<String> types = key.stream().map(k -> table.physicalColumn(k).map(LiveColumn::type).orElse("text")).toList();
        backfills.put(table.physical(), new Action.Backfill("backfill " + table.physical(), qualified(table), key, types, set));
    }

    /** Writes through either version fill the other version's column; complete drops the trigger. */
    void dualWrite(LiveTable table, List<DualWrite.Assign> up, List<DualWrite.Assign> down) {
        dualWrite(table, up, down, List.of());
    }

    /**
     * As {@link #dualWrite(LiveTable, List, List)}, with statements that complete runs in the same
     * transaction as the trigger's drop: dropping the old column with it leaves no moment where a
     * write finds one without the other.
     */
    void dualWrite(LiveTable table, List<DualWrite.Assign> up, List<DualWrite.Assign> down, List<String> withDrop) {
        if (table.createdHere()) {
            return;
        }
        int n = ++triggers;
        List<DualWrite.Var> oldVars = originalColumns.getOrDefault(table.physical(), List.of()).stream()
                .map(c -> new DualWrite.Var(c.name(), c.physical())).toList();
        List<DualWrite.Var> newVars = table.columns().stream().map(c -> new DualWrite.Var(c.name(), c.physical())).toList();
        DualWrite trigger = new DualWrite(Identifiers.qualified(reversoSchema, internalName(table.physical() + "_" + n)),
                internalName("sync_" + n), qualified(table), versionSchema, oldVars, up, newVars, down);
        expand("keep both versions of " + table.physical() + " in step (trigger)", trigger.createSql());
        swap(table, trigger.dropSql());
        swap(table, withDrop);
        undo.add(new Action.Sql("drop the dual-write trigger on " + table.physical(), trigger.dropSql(), null));
    }

    /**
     * Contract-phase DDL that must happen in the same transaction as the table's columns taking their
     * final names: dropping the dual-write trigger and the columns being replaced. Run apart, a
     * writer could find the old column gone and the new one not yet named.
     */
    void swap(LiveTable table, List<String> statements) {
        swaps.computeIfAbsent(table.physical(), k -> new ArrayList<>()).addAll(statements);
    }

    /** Contract-phase DDL, in order, before the final renames. */
    void contract(String what, String... statements) {
        contract.add(new Action.Sql(what, List.of(statements), null));
    }

    void contract(String what, List<String> statements) {
        contract.add(new Action.Sql(what, statements, null));
    }

    /** Contract-phase DDL that needs the final names (attaching a unique index as a constraint). */
    void afterRenames(String what, String... statements) {
        afterRenames.add(new Action.Sql(what, List.of(statements), null));
    }

    /** What undoes an expand step; rollback runs these newest first. */
    void undoLater(String what, String... statements) {
        undo.add(new Action.Sql(what, List.of(statements), null));
    }

    /** Raw SQL changed the schema in ways the plan cannot see: rebuild the version's views on complete. */
    void rebuildViewsOnComplete() {
        rebuildViewsOnComplete = true;
    }

    /** The plan: expand, build, backfill, views; and the contract and rollback that go with them. */
    Plan finish() {
        List<Action> start = new ArrayList<>(expand);
        start.addAll(backfills.values());
        start.addAll(build);
        start.add(new Action.Sql("create schema " + versionSchema + " with the new version's views", views(), null));

        List<Action> complete = new ArrayList<>();
        if (previousSchema != null) {
            complete.add(new Action.Sql("drop the previous version's schema " + previousSchema,
                    List.of("DROP SCHEMA IF EXISTS " + Identifiers.quote(previousSchema) + " CASCADE"), null));
        }
        complete.addAll(contract);
        complete.addAll(renames());
        complete.addAll(afterRenames);
        if (rebuildViewsOnComplete) {
            List<String> rebuild = new ArrayList<>();
            rebuild.add("DROP SCHEMA IF EXISTS " + Identifiers.quote(versionSchema) + " CASCADE");
            rebuild.add(ViewsSql.rebuildFromCatalog(schema.name(), versionSchema, serverMajor));
            complete.add(new Action.Sql("rebuild schema " + versionSchema + " from the tables as they are now", rebuild, null));
        }

        List<Action> rollback = new ArrayList<>();
        rollback.add(new Action.Sql("drop schema " + versionSchema,
                List.of("DROP SCHEMA IF EXISTS " + Identifiers.quote(versionSchema) + " CASCADE"), null));
        for (int i = undo.size() - 1; i >= 0; i--) {
            rollback.add(undo.get(i));
        }
        return new Plan(versionSchema, previousSchema, start, complete, rollback);
    }

    private List<String> views() {
        return ViewsSql.create(schema.name(), versionSchema, schema.tables(), serverMajor);
    }

    /**
     * Per table, in one transaction: the trigger and replaced columns dropped and the temporary
     * columns given their final names; then renamed tables take theirs.
     */
    private List<Action> renames() {
        List<Action> out = new ArrayList<>();
        Map<String, List<String>> pending = new LinkedHashMap<>(swaps);
        for (LiveTable t : schema.tables()) {
            List<String> sql = new ArrayList<>(pending.getOrDefault(t.physical(), List.of()));
            pending.remove(t.physical());
            for (LiveColumn c : t.columns()) {
                if (!c.physical().equals(c.name())) {
                    sql.add("ALTER TABLE " + qualified(t) + " RENAME COLUMN " + Identifiers.quote(c.physical()) + " TO "
                            + Identifiers.quote(c.name()));
                }
            }
            if (!sql.isEmpty()) {
                out.add(new Action.Sql("swap in the new columns of " + t.physical(), sql, null));
            }
        }
        pending.forEach((table, sql) -> out.add(new Action.Sql("drop the dual-write trigger on " + table, sql, null)));
        for (LiveTable t : schema.tables()) {
            if (!t.physical().equals(t.name())) {
                out.add(new Action.Sql("rename table " + t.physical() + " to " + t.name(), List.of("ALTER TABLE " + qualified(t)
                        + " RENAME TO " + Identifiers.quote(t.name())), null));
            }
        }
        return out;
    }

    /** Identifiers longer than 63 bytes are cut by the server; cut them ourselves, keeping them distinct. */
    static String shortened(String name) {
        if (name.getBytes(StandardCharsets.UTF_8).length <= 63) {
            return name;
        }
        String hash = Integer.toHexString(name.hashCode());
        return name.substring(0, 63 - hash.length() - 1) + "_" + hash;
    }
}
