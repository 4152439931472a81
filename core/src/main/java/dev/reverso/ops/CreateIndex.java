package dev.reverso.ops;

import dev.reverso.sql.Identifiers;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code create_index}: built CONCURRENTLY during start, so writes go on while it builds; an
 * interrupted build's invalid index is dropped before the build is tried again.
 */
record CreateIndex(String name, String table, List<String> columns, boolean unique, String method, String predicate,
                   String storageParameters) implements Operation {

    private static final Set<String> METHODS = Set.of("btree", "hash", "gist", "spgist", "gin", "brin");

    static CreateIndex read(Field f) throws DocumentError {
        f.only(Set.of("name", "table", "columns", "unique", "method", "predicate", "storage_parameters"));
        String method = f.optionalText("method").map(s -> s.toLowerCase(Locale.ROOT)).orElse(null);
        if (method != null && !METHODS.contains(method)) {
            throw new DocumentError(f.path() + ".method", "expected one of " + String.join(", ", METHODS.stream().sorted().toList()));
        }
        List<String> columns;
        if (f.node().path("columns").isObject()) {
            // pgroll's newer form: {"column": {settings}}; the settings are not supported yet.
            columns = new ArrayList<>();
            f.node().get("columns").fieldNames().forEachRemaining(columns::add);
        } else {
            columns = f.texts("columns");
        }
        return new CreateIndex(f.text("name"), f.text("table"), columns, f.bool("unique", false), method,
                f.optionalText("predicate").orElse(null), f.optionalText("storage_parameters").orElse(null));
    }

    @Override
    public String kind() {
        return "create_index";
    }

    @Override
    public void plan(Planner p, String path) throws DocumentError {
        LiveTable t = p.table(path + ".table", table);
        if (p.schema().nameTaken(name)) {
            throw new DocumentError(path + ".name", "a table or index named " + name + " already exists");
        }
        Map<String, String> physical = new HashMap<>();
        List<String> cols = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            LiveColumn c = p.column(path + ".columns[" + i + "]", t, columns.get(i));
            physical.put(c.name(), c.physical());
            cols.add(Identifiers.quote(c.physical()));
        }
        t.columns().forEach(c -> physical.putIfAbsent(c.name(), c.physical()));
        String sql = "CREATE " + (unique ? "UNIQUE " : "") + "INDEX CONCURRENTLY " + Identifiers.quote(name) + " ON "
                + p.qualified(t) + (method == null ? "" : " USING " + method) + " (" + String.join(", ", cols) + ")"
                + (storageParameters == null ? "" : " WITH (" + storageParameters + ")")
                + (predicate == null ? "" : " WHERE " + ColumnRewrite.apply(predicate, physical));
        p.buildIndex("build index " + name, sql, name);
        t.addIndex(new LiveIndex(name, cols, unique, false, sql));
    }
}
