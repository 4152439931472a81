package dev.reverso.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The locks an {@code ALTER TABLE} (or ALTER VIEW / MATERIALIZED VIEW / FOREIGN TABLE) takes:
 * the strongest over its comma-separated subcommands, per the lock levels PostgreSQL documents
 * for each subcommand. Anything not listed takes ACCESS EXCLUSIVE, as the documentation says.
 */
final class TableAlteration {

    /** Storage parameters that PostgreSQL sets under SHARE UPDATE EXCLUSIVE. */
    private static final Set<String> LIGHT_STORAGE_PARAMETERS = Set.of(
            "fillfactor", "parallel_workers", "toast_tuple_target", "vacuum_index_cleanup",
            "vacuum_truncate", "log_autovacuum_min_duration");

    private final QualifiedName table;
    private final ClassificationBuilder result;

    private TableAlteration(QualifiedName table, ClassificationBuilder result) {
        this.table = table;
        this.result = result;
    }

    /** Records the locks of the subcommands that start at the cursor, for {@code table}. */
    static void classify(QualifiedName table, TokenCursor cursor, ClassificationBuilder result) {
        TableAlteration alteration = new TableAlteration(table, result);
        for (List<Token> action : actions(cursor)) {
            alteration.action(new TokenCursor(action));
        }
    }

    private static List<List<Token>> actions(TokenCursor cursor) {
        List<List<Token>> actions = new ArrayList<>();
        while (!cursor.atEnd()) {
            int start = cursor.position();
            cursor.skipToComma();
            actions.add(cursor.tokens().subList(start, cursor.position()));
            cursor.acceptSymbol(",");
        }
        return actions;
    }

    private void action(TokenCursor c) {
        if (c.accept("ADD")) {
            add(c);
        } else if (c.at("ALTER", "CONSTRAINT")) {
            lockTable(LockMode.ACCESS_EXCLUSIVE);
        } else if (c.accept("ALTER")) {
            alterColumn(c);
        } else if (c.at("VALIDATE", "CONSTRAINT") || c.at("CLUSTER", "ON") || c.at("SET", "WITHOUT", "CLUSTER")) {
            lockTable(LockMode.SHARE_UPDATE_EXCLUSIVE);
        } else if (c.accept("SET") || c.accept("RESET")) {
            lockTable(c.atSymbol("(") ? storageParameterLock(c) : LockMode.ACCESS_EXCLUSIVE);
        } else if (c.accept("ENABLE") || c.accept("DISABLE")) {
            enableOrDisable(c);
        } else if (c.accept("ATTACH", "PARTITION")) {
            lockTable(LockMode.SHARE_UPDATE_EXCLUSIVE);
            c.name().ifPresent(partition -> result.lock(partition, LockMode.ACCESS_EXCLUSIVE));
        } else if (c.accept("DETACH", "PARTITION")) {
            detach(c);
        } else {
            lockTable(LockMode.ACCESS_EXCLUSIVE);
        }
    }

    private void add(TokenCursor c) {
        boolean foreignKey = c.containsWord("FOREIGN");
        boolean tableConstraint = c.at("CONSTRAINT") || c.at("CHECK") || c.at("UNIQUE")
                || c.at("PRIMARY") || c.at("FOREIGN") || c.at("EXCLUDE");
        // ADD FOREIGN KEY adds triggers to both tables, so it needs at least CREATE TRIGGER's lock.
        lockTable(tableConstraint && foreignKey ? LockMode.SHARE_ROW_EXCLUSIVE : LockMode.ACCESS_EXCLUSIVE);
        while (!c.atEnd()) {
            if (c.next().isWord("REFERENCES")) {
                c.name().ifPresent(referenced -> result.lock(referenced, LockMode.SHARE_ROW_EXCLUSIVE));
            }
        }
    }

    private void alterColumn(TokenCursor c) {
        c.accept("COLUMN");
        c.name();
        boolean light = c.at("SET", "STATISTICS")
                || (c.accept("SET") || c.accept("RESET")) && c.atSymbol("(");
        lockTable(light ? LockMode.SHARE_UPDATE_EXCLUSIVE : LockMode.ACCESS_EXCLUSIVE);
    }

    private void enableOrDisable(TokenCursor c) {
        c.accept("REPLICA");
        c.accept("ALWAYS");
        // Triggers only affect writes; rules and row level security change what reads see.
        lockTable(c.at("TRIGGER") ? LockMode.SHARE_ROW_EXCLUSIVE : LockMode.ACCESS_EXCLUSIVE);
    }

    private void detach(TokenCursor c) {
        QualifiedName partition = c.name().orElse(null);
        boolean concurrently = c.accept("CONCURRENTLY");
        boolean light = concurrently || c.accept("FINALIZE");
        LockMode mode = light ? LockMode.SHARE_UPDATE_EXCLUSIVE : LockMode.ACCESS_EXCLUSIVE;
        lockTable(mode);
        if (partition != null) {
            result.lock(partition, mode);
        }
        if (concurrently) {
            result.nonTransactional();
        }
    }

    /** SHARE UPDATE EXCLUSIVE if every parameter in the list is one PostgreSQL sets under it. */
    private static LockMode storageParameterLock(TokenCursor c) {
        for (String parameter : parameterNames(c)) {
            boolean light = LIGHT_STORAGE_PARAMETERS.contains(parameter)
                    || parameter.startsWith("autovacuum_") || parameter.startsWith("toast.");
            if (!light) {
                return LockMode.ACCESS_EXCLUSIVE;
            }
        }
        return LockMode.SHARE_UPDATE_EXCLUSIVE;
    }

    private static List<String> parameterNames(TokenCursor c) {
        List<String> names = new ArrayList<>();
        c.acceptSymbol("(");
        while (!c.atEnd() && !c.atSymbol(")")) {
            c.name().ifPresent(name -> names.add(name.text().toLowerCase(Locale.ROOT)));
            c.skipToComma();
            c.acceptSymbol(",");
        }
        return names;
    }

    private void lockTable(LockMode mode) {
        result.lock(table, mode);
    }
}
