package dev.reverso.ops;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The tables of one schema, read from the live catalog, that an operation migration is validated
 * and planned against. Operations change it as they are planned (a table created by the first
 * operation can take an index in the second).
 */
public final class PlannedSchema {

    private final String schema;
    private final Map<String, LiveTable> tables = new LinkedHashMap<>();
    private final List<String> dropped = new ArrayList<>();

    private PlannedSchema(String schema) {
        this.schema = schema;
    }

    /** The schema's name. */
    public String name() {
        return schema;
    }

    /** Reads every ordinary and partitioned table of the schema. */
    public static PlannedSchema read(Connection c, String schema) throws SQLException {
        PlannedSchema s = new PlannedSchema(schema);
        Map<Long, List<LiveColumn>> columns = new LinkedHashMap<>();
        Map<Long, String> names = new LinkedHashMap<>();
        String sql = "select t.oid, t.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,"
                + " pg_get_expr(d.adbin, d.adrelid)"
                + " from pg_class t join pg_namespace n on n.oid = t.relnamespace"
                + " left join pg_attribute a on a.attrelid = t.oid and a.attnum > 0 and not a.attisdropped"
                + " left join pg_attrdef d on d.adrelid = t.oid and d.adnum = a.attnum"
                + " where n.nspname = ? and t.relkind in ('r','p') order by t.relname, a.attnum";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long oid = rs.getLong(1);
                    names.put(oid, rs.getString(2));
                    List<LiveColumn> cols = columns.computeIfAbsent(oid, k -> new ArrayList<>());
                    if (rs.getString(3) != null) {
                        cols.add(new LiveColumn(rs.getString(3), rs.getString(3), rs.getString(4), rs.getBoolean(5), rs.getString(6)));
                    }
                }
            }
        }
        Map<Long, List<LiveIndex>> indexes = indexes(c, schema);
        Map<Long, List<LiveConstraint>> constraints = new LinkedHashMap<>();
        Map<Long, List<LiveConstraint>> referencedBy = new LinkedHashMap<>();
        constraints(c, schema, constraints, referencedBy);
        for (Map.Entry<Long, String> e : names.entrySet()) {
            long oid = e.getKey();
            List<LiveConstraint> own = constraints.getOrDefault(oid, List.of());
            List<String> pk = own.stream().filter(k -> k.type() == 'p').findFirst().map(LiveConstraint::columns).orElse(List.of());
            s.tables.put(e.getValue(), new LiveTable(e.getValue(), columns.get(oid), pk, indexes.getOrDefault(oid, List.of()),
                    own, referencedBy.getOrDefault(oid, List.of()), false));
        }
        return s;
    }

    private static Map<Long, List<LiveIndex>> indexes(Connection c, String schema) throws SQLException {
        Map<Long, List<LiveIndex>> out = new LinkedHashMap<>();
        String sql = "select i.indrelid, x.relname, i.indisunique, exists (select 1 from pg_constraint k where k.conindid = i.indexrelid),"
                + " pg_get_indexdef(i.indexrelid),"
                + " array(select a.attname from unnest(i.indkey) with ordinality k(attnum, n)"
                + "   join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum order by k.n)"
                + " from pg_index i join pg_class x on x.oid = i.indexrelid join pg_namespace n on n.oid = x.relnamespace"
                + " where n.nspname = ? order by x.relname";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>()).add(new LiveIndex(rs.getString(2),
                            strings(rs.getArray(6)), rs.getBoolean(3), rs.getBoolean(4), rs.getString(5)));
                }
            }
        }
        return out;
    }

    private static void constraints(Connection c, String schema, Map<Long, List<LiveConstraint>> own,
                                    Map<Long, List<LiveConstraint>> referencedBy) throws SQLException {
        String sql = "select k.conrelid, k.conname, k.contype, pg_get_constraintdef(k.oid), k.confrelid,"
                + " case when k.confrelid <> 0 then k.confrelid::regclass::text end,"
                + " array(select a.attname from unnest(k.conkey) with ordinality u(attnum, n)"
                + "   join pg_attribute a on a.attrelid = k.conrelid and a.attnum = u.attnum order by u.n),"
                + " k.conrelid::regclass::text"
                + " from pg_constraint k join pg_namespace n on n.oid = k.connamespace"
                + " where k.conrelid <> 0 and (n.nspname = ? or k.confrelid in"
                + "   (select t.oid from pg_class t join pg_namespace m on m.oid = t.relnamespace where m.nspname = ?))"
                + " order by k.conname";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, schema);
            ps.setString(2, schema);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    LiveConstraint k = new LiveConstraint(rs.getString(2), rs.getString(3).charAt(0), strings(rs.getArray(7)),
                            rs.getString(4), rs.getString(6));
                    own.computeIfAbsent(rs.getLong(1), x -> new ArrayList<>()).add(k);
                    if (k.type() == 'f') {
                        referencedBy.computeIfAbsent(rs.getLong(5), x -> new ArrayList<>())
                                .add(new LiveConstraint(rs.getString(8) + "." + k.name(), 'f', k.columns(), k.definition(), rs.getString(6)));
                    }
                }
            }
        }
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }

    /** The table a version calls this name, if any. */
    public Optional<LiveTable> table(String name) {
        return Optional.ofNullable(tables.get(name));
    }

    /** Every table the new version has, in name order of the catalog then creation order. */
    public List<LiveTable> tables() {
        return List.copyOf(tables.values());
    }

    /** The table owning an index of this name, if any. */
    public Optional<LiveTable> tableOfIndex(String index) {
        return tables.values().stream().filter(t -> t.indexes().stream().anyMatch(i -> i.name().equals(index))).findFirst();
    }

    /** Whether any relation of the new version (table, or an index) already has this name. */
    public boolean nameTaken(String name) {
        return tables.containsKey(name) || tableOfIndex(name).isPresent()
                || tables.values().stream().anyMatch(t -> t.physical().equals(name));
    }

    void add(LiveTable table) {
        tables.put(table.name(), table);
    }

    void remove(String name) {
        LiveTable t = tables.remove(name);
        if (t != null) {
            dropped.add(t.physical());
        }
    }

    void rename(String from, String to) {
        LiveTable t = tables.remove(from);
        t.rename(to);
        tables.put(to, t);
    }

    /** A new, empty table created by the migration being planned. */
    static LiveTable created(String name, List<LiveColumn> columns, List<String> primaryKey) {
        return new LiveTable(name, columns, primaryKey, List.of(), List.of(), List.of(), true);
    }
}
