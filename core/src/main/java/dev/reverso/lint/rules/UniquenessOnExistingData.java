package dev.reverso.lint.rules;

import java.util.Optional;
import dev.reverso.lint.Rule;
import dev.reverso.lint.Severity;
import dev.reverso.lint.StatementContext;

import java.util.List;
import java.util.stream.Collectors;

/**
 * #29: a unique index, or a UNIQUE, PRIMARY KEY or EXCLUDE constraint, on the existing rows of a
 * table this migration did not create: it fails if the data violate it.
 */
final class UniquenessOnExistingData implements Rule {

    @Override
    public String id() {
        return "uniqueness-on-existing-data";
    }

    @Override
    public boolean handles(String command) {
        // Ddl.createIndex and Ddl.alterTable read statements that start with CREATE or ALTER.
        return command.startsWith("CREATE") || command.startsWith("ALTER");
    }

    @Override
    public Severity severity() {
        return Severity.INFO;
    }

    @Override
    public void check(StatementContext ctx) {
        Optional<Ddl.Index> created = Ddl.createIndex(ctx);
        if (created.isPresent() && created.get().unique() && !ctx.createdInThisMigration(created.get().table())) {
            Ddl.Index index = created.get();
            boolean concurrently = ctx.classification().command().endsWith("CONCURRENTLY");
            ctx.report("the unique index on " + index.table() + " (" + String.join(", ", index.keys())
                            + ") fails with 23505 if existing rows have duplicates"
                            + (concurrently ? "; built CONCURRENTLY, the failure leaves an INVALID index behind that is never "
                            + "used but still slows every write" : ""),
                    duplicates(index.table(), index.keys(), index.where()));
        }
        Optional<Ddl.Alter> alter = Ddl.alterExistingTable(ctx);
        if (alter.isEmpty()) {
            return;
        }
        for (Optional<Ddl.Constraint> added : Ddl.addedConstraints(ctx)) {
            if (added.isPresent() && added.get().uniqueness() && !added.get().usingIndex()) {
                report(ctx, alter.get().table(), added.get());
            }
        }
    }

    private static void report(StatementContext ctx, String table, Ddl.Constraint c) {
        List<String> columns = c.columns();
        if (c.kind().equals("EXCLUDE")) {
            ctx.report("the EXCLUDE constraint on " + table + " fails with 23P01 if existing rows conflict under its operators",
                    "find and fix the conflicting rows of " + table + " first (a self-join on the constraint's operators), "
                            + "in a step before this migration");
            return;
        }
        String cols = String.join(", ", columns);
        boolean pk = c.kind().equals("PRIMARY KEY");
        ctx.report("the " + c.kind() + " on " + table + " (" + cols + ") fails with 23505 if existing rows have duplicates"
                        + (pk ? ", and with 23502 if any of them is NULL" : ""),
                duplicates(table, columns, "") + (pk && !columns.isEmpty() ? "\nSELECT count(*) FROM " + table + " WHERE "
                        + columns.stream().map(col -> col + " IS NULL").collect(Collectors.joining(" OR "))
                        + ";  -- must be 0" : ""));
    }

    /** A query that must return no rows before the uniqueness can hold. */
    private static String duplicates(String table, List<String> keys, String where) {
        if (keys.isEmpty()) {
            return "check " + table + " for duplicates of the key first and dedupe them";
        }
        String cols = String.join(", ", keys);
        return "SELECT " + cols + ", count(*) FROM " + table + (where.isEmpty() ? "" : " WHERE " + where)
                + " GROUP BY " + cols + " HAVING count(*) > 1;  -- must return no rows: dedupe first";
    }
}
