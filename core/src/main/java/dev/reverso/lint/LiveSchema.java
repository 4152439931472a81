package dev.reverso.lint;

import dev.reverso.sql.Lexer;
import dev.reverso.sql.SqlSyntaxException;
import dev.reverso.sql.Token;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Connected mode's starting schema: the live database's tables, views, columns, constraints and
 * indexes, read from its catalog over JDBC into a {@link SchemaState} that the migrations are then
 * replayed onto. Reading the catalog needs no client tool on the path and no particular version
 * of one, which a {@code pg_dump} of the schema did.
 *
 * <p>It reads every schema except PostgreSQL's own and the ones given (Reverso's history
 * schema), and leaves out objects that belong to an extension, as pg_dump does: a migration
 * does not alter them. It records what the replay of the same DDL would record, with the
 * catalog's real names where the replay guesses PostgreSQL's generated ones: column types as
 * {@link TableDdl#normaliseType} writes them, NOT NULL, each CHECK, UNIQUE, PRIMARY KEY, FOREIGN
 * KEY and EXCLUDE constraint with its columns and whether it is validated, and each valid index
 * with its key columns (an expression as {@code "(expression)"}), uniqueness and predicate.
 */
public final class LiveSchema {

    /**
     * The relations read, by oid, with their qualified names; {@code ?} is the array of schemas to
     * leave out. Kinds: tables, partitioned tables, views, materialized views, foreign tables.
     */
    private static final String RELATIONS = "with rel as (select c.oid, n.nspname || '.' || c.relname as name"
            + " from pg_class c join pg_namespace n on n.oid = c.relnamespace"
            + " where c.relkind in ('r', 'p', 'v', 'm', 'f')"
            + " and n.nspname <> 'information_schema' and n.nspname not like 'pg\\_%'"
            + " and n.nspname <> all (?::text[])"
            + " and not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid"
            + " and d.deptype = 'e')) ";

    private static final String COLUMNS = RELATIONS
            + "select r.name, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull"
            + " from rel r left join pg_attribute a on a.attrelid = r.oid and a.attnum > 0 and not a.attisdropped"
            + " order by r.name, a.attnum";

    private static final String CONSTRAINTS = RELATIONS
            + "select r.name, co.conname, co.contype, co.convalidated,"
            + " array(select a.attname::text from unnest(co.conkey) with ordinality k(num, ord)"
            + " join pg_attribute a on a.attrelid = co.conrelid and a.attnum = k.num order by k.ord),"
            + " pg_get_constraintdef(co.oid)"
            + " from rel r join pg_constraint co on co.conrelid = r.oid"
            + " where co.contype in ('c', 'u', 'p', 'f', 'x')"
            + " order by r.name, co.conname";

    /**
     * Valid indexes only: an invalid one (a failed concurrent build) serves no query and no
     * foreign-key check, and pg_dump leaves it out too. {@code KEY_COUNT} stands for the count of key columns.
     */
    private static final String INDEXES = RELATIONS
            + "select r.name, ic.relname, i.indisunique, i.indpred is not null,"
            + " array(select case when k.num = 0 then '(expression)' else a.attname::text end"
            + " from unnest(i.indkey::int2[]) with ordinality k(num, ord)"
            + " left join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.num"
            + " where k.ord <= KEY_COUNT order by k.ord)"
            + " from rel r join pg_index i on i.indrelid = r.oid join pg_class ic on ic.oid = i.indexrelid"
            + " where i.indisvalid"
            + " order by r.name, ic.relname";

    private static final Map<String, String> KINDS = Map.of("c", "CHECK", "u", "UNIQUE", "p", "PRIMARY KEY",
            "f", "FOREIGN KEY", "x", "EXCLUDE");

    private LiveSchema() {
    }

    /**
     * Reads the live schema; writes nothing. When the connection is in autocommit, the reads share
     * one snapshot (so DDL committed meanwhile cannot show an index on a column they did not
     * see), and the connection is left as it was.
     *
     * @param connection a connection to the target database
     * @param excludedSchemas schemas to leave out besides PostgreSQL's own (Reverso's history schema)
     * @return a new schema state holding the live relations, none of them created by a migration
     */
    public static SchemaState read(Connection connection, Collection<String> excludedSchemas) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        int isolation = connection.getTransactionIsolation();
        if (autoCommit) {
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        }
        try {
            Array excluded = connection.createArrayOf("text", excludedSchemas.toArray());
            SchemaState schema = new SchemaState();
            Map<String, Relation> relations = relations(connection, excluded);
            constraints(connection, excluded, relations);
            relations.values().forEach(r -> schema.addExisting(r.name, r.columns, r.constraints));
            indexes(connection, excluded, connection.getMetaData().getDatabaseMajorVersion(), schema);
            return schema;
        } finally {
            if (autoCommit) {
                connection.rollback();
                connection.setAutoCommit(true);
                connection.setTransactionIsolation(isolation);
            }
        }
    }

    /** A relation being read: its columns, then its constraints. */
    private static final class Relation {
        final String name;
        final List<SchemaState.Column> columns = new ArrayList<>();
        final List<SchemaState.Constraint> constraints = new ArrayList<>();

        Relation(String name) {
            this.name = name;
        }
    }

    private static Map<String, Relation> relations(Connection c, Array excluded) throws SQLException {
        Map<String, Relation> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(COLUMNS)) {
            ps.setArray(1, excluded);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Relation r = out.computeIfAbsent(rs.getString(1), Relation::new);
                    String column = rs.getString(2);
                    if (column != null) {
                        r.columns.add(new SchemaState.Column(column, type(rs.getString(3)), rs.getBoolean(4)));
                    }
                }
            }
        }
        return out;
    }

    private static void constraints(Connection c, Array excluded, Map<String, Relation> relations) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(CONSTRAINTS)) {
            ps.setArray(1, excluded);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Relation r = relations.get(rs.getString(1));
                    if (r == null) {
                        continue;
                    }
                    String kind = KINDS.get(rs.getString(3));
                    List<String> columns = strings(rs.getArray(5));
                    boolean notNullCheck = false;
                    if (kind.equals("CHECK")) {
                        // As the replay records a CHECK: by the column it proves NOT NULL, if that is all it says.
                        Optional<String> column = notNullCheckColumn(rs.getString(6));
                        columns = column.map(List::of).orElse(List.of());
                        notNullCheck = column.isPresent();
                    }
                    r.constraints.add(new SchemaState.Constraint(rs.getString(2), SchemaState.normalise(r.name), kind,
                            columns, rs.getBoolean(4), notNullCheck));
                }
            }
        }
    }

    private static void indexes(Connection c, Array excluded, int serverMajor, SchemaState schema) throws SQLException {
        // INCLUDE columns (PostgreSQL 11+) are not keys: an index does not lead with them.
        String sql = INDEXES.replace("KEY_COUNT", serverMajor >= 11 ? "i.indnkeyatts" : "i.indnatts");
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, excluded);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    schema.addExisting(new SchemaState.Index(rs.getString(2), SchemaState.normalise(rs.getString(1)),
                            strings(rs.getArray(5)), rs.getBoolean(3), rs.getBoolean(4)));
                }
            }
        }
    }

    /** A type as format_type writes it, normalised the way the replay normalises a declared type. */
    static String type(String formatted) {
        try {
            return TableDdl.normaliseType(significant(formatted));
        } catch (SqlSyntaxException e) {
            return formatted.toLowerCase(Locale.ROOT);
        }
    }

    /** The column of a constraint definition {@code CHECK ((c IS NOT NULL)) [NOT VALID]}, if it is that. */
    static Optional<String> notNullCheckColumn(String definition) {
        try {
            return TableDdl.tableConstraint(significant(definition)).flatMap(k -> TableDdl.notNullCheckColumn(k.checkExpression()));
        } catch (SqlSyntaxException e) {
            return Optional.empty();
        }
    }

    private static List<Token> significant(String sql) {
        return Lexer.tokenize(sql).stream().filter(t -> t.type().isSignificant()).toList();
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : List.of((String[]) array.getArray());
    }
}
