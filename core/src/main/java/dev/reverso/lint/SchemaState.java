package dev.reverso.lint;

import dev.reverso.engine.Step;
import dev.reverso.sql.ObjectChange;
import dev.reverso.sql.ObjectKind;
import dev.reverso.sql.Token;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The schema as the migrations linted so far leave it, replayed statement by statement from the
 * SQL alone (no server needed), onto an empty schema or, in connected mode, onto the live one
 * ({@link LiveSchema}): which tables exist and which were created by the migration being
 * linted; and, for tables whose DDL the replay saw, their columns (declared type, NOT NULL), their
 * constraints (kind, columns, validated or not) and the indexes on them. Rules use it to exempt
 * new tables from lock rules, to know what an ALTER changes, and to clear false alarms (a
 * binary-coercible type change, a SET NOT NULL backed by a validated CHECK).
 *
 * <p>Relation names are compared the way the classifier reports them (unquoted, case-folded),
 * with a leading {@code public.} ignored, since unqualified names resolve there by default.
 * What the replay did not see is unknown, never assumed: offline, a table created outside the
 * migrations has no known columns, and the methods say so with empty results.
 */
public final class SchemaState {

    /**
     * A column as declared.
     *
     * @param name its name
     * @param type its declared type, normalised ({@link TableDdl#normaliseType}), e.g. {@code varchar(20)}
     * @param notNull whether it is NOT NULL (declared, by a primary key, or by SET NOT NULL)
     */
    public record Column(String name, String type, boolean notNull) {
    }

    /**
     * An index.
     *
     * @param name its name (PostgreSQL's generated name when the DDL gave none, e.g. {@code t_a_idx})
     * @param table the table (normalised)
     * @param columns its key columns in order; an expression key is {@code "(expression)"}
     * @param unique whether it is unique (including the indexes of UNIQUE and PRIMARY KEY constraints)
     * @param partial whether it has a WHERE clause
     */
    public record Index(String name, String table, List<String> columns, boolean unique, boolean partial) {

        public Index {
            columns = List.copyOf(columns);
        }
    }

    /**
     * A table constraint.
     *
     * @param name its name (PostgreSQL's generated name when the DDL gave none)
     * @param table the table (normalised)
     * @param kind CHECK, UNIQUE, PRIMARY KEY, FOREIGN KEY or EXCLUDE
     * @param columns the columns it lists (for CHECK: the column of a {@code c IS NOT NULL} check, if it is one)
     * @param validated false while it is NOT VALID
     * @param notNullCheck for CHECK: whether it is exactly {@code CHECK (c IS NOT NULL)}
     */
    public record Constraint(String name, String table, String kind, List<String> columns, boolean validated,
                             boolean notNullCheck) {

        public Constraint {
            columns = List.copyOf(columns);
        }
    }

    private static final class TableInfo {
        final Map<String, Column> columns = new LinkedHashMap<>();
        final Map<String, Constraint> constraints = new LinkedHashMap<>();
    }

    private final Set<String> tables = new HashSet<>();
    private final Set<String> createdInMigration = new HashSet<>();
    private final Map<String, TableInfo> details = new LinkedHashMap<>();
    private final Map<String, Index> indexes = new LinkedHashMap<>();

    /** An independent copy, for a second pass of rules that replays the same migrations on its own. */
    public SchemaState copy() {
        SchemaState c = new SchemaState();
        c.tables.addAll(tables);
        c.createdInMigration.addAll(createdInMigration);
        details.forEach((name, info) -> {
            TableInfo t = new TableInfo();
            t.columns.putAll(info.columns);
            t.constraints.putAll(info.constraints);
            c.details.put(name, t);
        });
        c.indexes.putAll(indexes);
        return c;
    }

    /** Starts a new migration: nothing is "created in this migration" any more. */
    public void startMigration() {
        createdInMigration.clear();
    }

    /** Whether the migration being linted created this relation before the current statement. */
    public boolean createdInCurrentMigration(String relation) {
        return createdInMigration.contains(normalise(relation));
    }

    /** Whether an earlier statement (this migration or an earlier one) created this table. */
    public boolean knownTable(String relation) {
        return tables.contains(normalise(relation));
    }

    // ---------------------------------------------------------------- the live schema

    /**
     * Records a relation that exists before the migrations, as the live catalog describes it
     * ({@link LiveSchema}): known to the rules, created by no migration.
     */
    void addExisting(String relation, List<Column> columns, List<Constraint> constraints) {
        String table = normalise(relation);
        tables.add(table);
        TableInfo info = info(table);
        columns.forEach(c -> info.columns.put(c.name(), c));
        constraints.forEach(c -> info.constraints.put(c.name(), c));
    }

    /** Records an index that exists before the migrations ({@link LiveSchema}). */
    void addExisting(Index index) {
        putIndex(index);
    }

    // ---------------------------------------------------------------- queries

    /** The columns the replay knows of the table, in order; empty when it saw none. */
    public List<Column> columns(String table) {
        TableInfo info = details.get(normalise(table));
        return info == null ? List.of() : List.copyOf(info.columns.values());
    }

    /** A column of the table, if the replay saw it declared. */
    public Optional<Column> column(String table, String column) {
        TableInfo info = details.get(normalise(table));
        return info == null ? Optional.empty() : Optional.ofNullable(info.columns.get(column));
    }

    /** The column's declared type (normalised), if known. */
    public Optional<String> columnType(String table, String column) {
        return column(table, column).map(Column::type);
    }

    /** The constraints the replay knows on the table. */
    public List<Constraint> constraints(String table) {
        TableInfo info = details.get(normalise(table));
        return info == null ? List.of() : List.copyOf(info.constraints.values());
    }

    /** A constraint of the table by name. */
    public Optional<Constraint> constraint(String table, String name) {
        TableInfo info = details.get(normalise(table));
        return info == null ? Optional.empty() : Optional.ofNullable(info.constraints.get(name));
    }

    /** Whether a validated {@code CHECK (column IS NOT NULL)} exists on the table (lets SET NOT NULL skip its scan on PG12+). */
    public boolean hasValidatedNotNullCheck(String table, String column) {
        return constraints(table).stream().anyMatch(c -> c.notNullCheck() && c.validated() && c.columns().contains(column));
    }

    /** The indexes the replay knows on the table, in creation order. */
    public List<Index> indexesOn(String table) {
        String t = normalise(table);
        return indexes.values().stream().filter(i -> i.table().equals(t)).toList();
    }

    /** An index by name (unqualified, or qualified as written). */
    public Optional<Index> index(String name) {
        return Optional.ofNullable(indexes.get(lastPart(name)));
    }

    // ---------------------------------------------------------------- replay

    /**
     * A statement's effect on the schema, read from its tokens alone and applied to a schema: the
     * linter's two passes each replay onto their own copy, and reading the DDL (the costly part)
     * is done once for both ({@link #read}).
     */
    @FunctionalInterface
    interface Edit {
        void applyTo(SchemaState schema);
    }

    private static final Edit NOTHING = schema -> {
    };

    /** Replays a statement's effect on the schema; called after the rules looked at it. */
    public void apply(Step step) {
        apply(step, read(step));
    }

    /** Replays a statement whose DDL was read already ({@link #read} of the same step). */
    void apply(Step step, Edit edit) {
        Optional<ObjectChange> change = step.classification().change();
        if (change.isPresent()) {
            apply(change.get());
        }
        try {
            edit.applyTo(this);
        } catch (RuntimeException e) {
            // The replay is best effort: odd DDL must never stop the lint.
        }
    }

    /** What the statement changes in the tables, columns, constraints and indexes the rules look at. */
    static Edit read(Step step) {
        List<Token> tokens = step.statement().tokens();
        try {
            return switch (step.classification().command()) {
                case "CREATE TABLE" -> createTable(tokens);
                case "CREATE TABLE AS", "SELECT INTO" -> step.classification().change()
                        .<Edit>map(ch -> schema -> schema.details.put(qualified(ch), new TableInfo())).orElse(NOTHING);
                case "DROP TABLE" -> {
                    List<String> targets = step.classification().targets();
                    yield schema -> targets.forEach(schema::dropTable);
                }
                case "ALTER TABLE" -> TableDdl.alterTable(tokens).map(SchemaState::alterTable).orElse(NOTHING);
                case "CREATE INDEX", "CREATE INDEX CONCURRENTLY" -> createIndex(tokens);
                case "DROP INDEX", "DROP INDEX CONCURRENTLY" -> {
                    List<String> targets = step.classification().targets();
                    yield schema -> targets.forEach(name -> schema.indexes.remove(lastPart(name)));
                }
                case "ALTER INDEX" -> schema -> schema.renameIndex(tokens);
                default -> NOTHING; // nothing else changes what the rules look at
            };
        } catch (RuntimeException e) {
            return NOTHING; // best effort, as in apply
        }
    }

    private void apply(ObjectChange change) {
        if (change.kind() != ObjectKind.TABLE && change.kind() != ObjectKind.MATERIALIZED_VIEW
                && change.kind() != ObjectKind.INDEX && change.kind() != ObjectKind.VIEW) {
            return;
        }
        String name = normalise(change.schema() == null || change.kind() == ObjectKind.INDEX
                ? change.name() : change.schema() + "." + change.name());
        if (change.action() == ObjectChange.Action.CREATE) {
            tables.add(name);
            createdInMigration.add(name);
        } else {
            tables.remove(name);
            createdInMigration.remove(name);
        }
    }

    private static String qualified(ObjectChange change) {
        return normalise(change.schema() == null ? change.name() : change.schema() + "." + change.name());
    }

    /** A run of edits in order; one that fails to read ends the run there, as the replay stops at DDL it cannot read. */
    private static Edit inOrder(List<Edit> edits) {
        return schema -> {
            for (Edit edit : edits) {
                edit.applyTo(schema);
            }
        };
    }

    private static Edit createTable(List<Token> tokens) {
        int i = 1;
        while (i < tokens.size() && !tokens.get(i).isWord("TABLE")) {
            i++;
        }
        i++;
        if (TableDdl.at(tokens, i, "IF", "NOT", "EXISTS")) {
            i += 3;
        }
        Optional<TableDdl.Name> name = TableDdl.name(tokens, i);
        if (name.isEmpty()) {
            return NOTHING;
        }
        String table = normalise(name.get().text());
        List<Edit> edits = new ArrayList<>();
        edits.add(schema -> schema.details.put(table, new TableInfo()));
        int open = name.get().end();
        if (open >= tokens.size() || !tokens.get(open).isSymbol("(")) {
            return inOrder(edits);
        }
        try {
            int close = TableDdl.closing(tokens, open);
            for (List<Token> element : TableDdl.splitTopLevel(tokens.subList(open + 1, Math.min(close, tokens.size())))) {
                Optional<TableDdl.TableConstraint> constraint = TableDdl.tableConstraint(element);
                if (constraint.isPresent()) {
                    DeclaredConstraint c = DeclaredConstraint.of(table, constraint.get());
                    edits.add(schema -> schema.addConstraint(table, schema.info(table), c, true));
                } else if (!element.isEmpty() && !element.get(0).isWord("LIKE")) {
                    TableDdl.columnDef(element).map(DeclaredColumn::of)
                            .ifPresent(col -> edits.add(schema -> schema.addColumn(table, schema.info(table), col)));
                }
            }
        } catch (RuntimeException e) {
            // what was read before applies
        }
        return inOrder(edits);
    }

    /** A column as declared, with what the replay derives from its definition. */
    private record DeclaredColumn(Column column, boolean primaryKey, boolean unique, boolean check, boolean notNullCheck,
                                  boolean references) {

        static DeclaredColumn of(TableDdl.ColumnDef col) {
            boolean notNullCheck = col.check()
                    && TableDdl.notNullCheckColumn(col.checkExpression()).filter(col.name()::equals).isPresent();
            return new DeclaredColumn(new Column(col.name(), col.type(), col.notNull()), col.primaryKey(), col.unique(),
                    col.check(), notNullCheck, col.references().isPresent());
        }
    }

    private void addColumn(String table, TableInfo info, DeclaredColumn declared) {
        Column col = declared.column();
        info.columns.put(col.name(), col);
        if (declared.primaryKey()) {
            String n = lastPart(table) + "_pkey";
            info.constraints.put(n, new Constraint(n, table, "PRIMARY KEY", List.of(col.name()), true, false));
            putIndex(new Index(lastPart(table) + "_pkey", table, List.of(col.name()), true, false));
        } else if (declared.unique()) {
            String n = lastPart(table) + "_" + col.name() + "_key";
            info.constraints.put(n, new Constraint(n, table, "UNIQUE", List.of(col.name()), true, false));
            putIndex(new Index(n, table, List.of(col.name()), true, false));
        }
        if (declared.check()) {
            String n = lastPart(table) + "_" + col.name() + "_check";
            boolean notNullCheck = declared.notNullCheck();
            info.constraints.put(n, new Constraint(n, table, "CHECK", notNullCheck ? List.of(col.name()) : List.of(),
                    true, notNullCheck));
        }
        if (declared.references()) {
            String n = lastPart(table) + "_" + col.name() + "_fkey";
            info.constraints.put(n, new Constraint(n, table, "FOREIGN KEY", List.of(col.name()), true, false));
        }
    }

    /**
     * A table constraint as declared, with its name (PostgreSQL's generated one when the DDL gave
     * none) and, for {@code USING INDEX}, the index it takes over.
     */
    private record DeclaredConstraint(String name, String kind, List<String> columns, boolean notValid,
                                      boolean usesIndex, String existingIndex) {

        static DeclaredConstraint of(String table, TableDdl.TableConstraint c) {
            List<String> columns = c.kind().equals("CHECK")
                    ? TableDdl.notNullCheckColumn(c.checkExpression()).map(List::of).orElse(List.of())
                    : c.columns();
            String name = c.name() != null ? c.name() : generatedName(table, c, columns);
            boolean usesIndex = false;
            String existing = null;
            if (c.kind().equals("PRIMARY KEY") || c.kind().equals("UNIQUE") || c.kind().equals("EXCLUDE")) {
                int using = TableDdl.indexOfWord(c.body(), 0, "INDEX");
                usesIndex = c.usingIndex() && using + 1 < c.body().size();
                existing = usesIndex ? TableDdl.ident(c.body().get(using + 1)) : null;
            }
            return new DeclaredConstraint(name, c.kind(), columns, c.notValid(), usesIndex, existing);
        }
    }

    private void addConstraint(String table, TableInfo info, DeclaredConstraint c, boolean inCreate) {
        List<String> columns = c.columns();
        String name = c.name();
        boolean validated = inCreate || !c.notValid();
        info.constraints.put(name, new Constraint(name, table, c.kind(), columns, validated,
                c.kind().equals("CHECK") && !columns.isEmpty()));
        if (c.kind().equals("PRIMARY KEY")) {
            for (String col : columns) {
                Column known = info.columns.get(col);
                if (known != null) {
                    info.columns.put(col, new Column(col, known.type(), true));
                }
            }
        }
        if (c.kind().equals("PRIMARY KEY") || c.kind().equals("UNIQUE") || c.kind().equals("EXCLUDE")) {
            if (c.usesIndex()) {
                Index idx = c.existingIndex() == null ? null : indexes.remove(c.existingIndex());
                if (idx != null) {
                    putIndex(new Index(name, table, idx.columns(), true, idx.partial()));
                }
            } else if (!c.kind().equals("EXCLUDE")) {
                putIndex(new Index(name, table, columns, true, false));
            } else {
                putIndex(new Index(name, table, List.of("(expression)"), false, false));
            }
        }
    }

    private static String generatedName(String table, TableDdl.TableConstraint c, List<String> columns) {
        String t = lastPart(table);
        return switch (c.kind()) {
            case "PRIMARY KEY" -> t + "_pkey";
            case "UNIQUE" -> t + "_" + String.join("_", columns) + "_key";
            case "FOREIGN KEY" -> t + "_" + String.join("_", columns) + "_fkey";
            case "EXCLUDE" -> t + "_excl";
            default -> t + "_" + TableDdl.firstColumn(c.checkExpression()).orElse("") + "_check";
        };
    }

    private void dropTable(String relation) {
        String table = normalise(relation);
        tables.remove(table);
        createdInMigration.remove(table);
        details.remove(table);
        indexes.values().removeIf(i -> i.table().equals(table));
    }

    private TableInfo info(String table) {
        return details.computeIfAbsent(table, t -> new TableInfo());
    }

    private static Edit alterTable(TableDdl.AlterTable alter) {
        String table = normalise(alter.table());
        List<Edit> edits = new ArrayList<>();
        try {
            for (TableDdl.Action action : alter.actions()) {
                Edit edit = alterAction(table, alter.table(), action);
                if (edit != null) {
                    edits.add(edit);
                }
                if (action.startsWith("RENAME", "TO") && action.tokens().size() > 2) {
                    break; // the table has its new name; what follows is not replayed
                }
            }
        } catch (RuntimeException e) {
            // what was read before applies
        }
        return inOrder(edits);
    }

    /** One action of an ALTER TABLE; null when it changes nothing the replay tracks. */
    private static Edit alterAction(String table, String written, TableDdl.Action action) {
        List<Token> t = action.tokens();
        Optional<TableDdl.ColumnDef> added = action.addColumn();
        Optional<TableDdl.TableConstraint> constraint = action.addConstraint();
        Optional<TableDdl.AlterColumn> altered = action.alterColumn();
        if (added.isPresent()) {
            DeclaredColumn col = DeclaredColumn.of(added.get());
            return schema -> schema.addColumn(table, schema.info(table), col);
        } else if (constraint.isPresent()) {
            DeclaredConstraint c = DeclaredConstraint.of(table, constraint.get());
            return schema -> schema.addConstraint(table, schema.info(table), c, false);
        } else if (altered.isPresent()) {
            String column = altered.get().column();
            String newType = altered.get().newType().map(TableDdl::normaliseType).orElse(null);
            boolean setNotNull = altered.get().setNotNull();
            boolean dropNotNull = altered.get().dropNotNull();
            return schema -> schema.alterColumn(table, column, newType, setNotNull, dropNotNull);
        } else if (action.validatedConstraint().isPresent()) {
            String validated = action.validatedConstraint().get();
            return schema -> schema.validateConstraint(table, validated);
        } else if (action.startsWith("DROP", "CONSTRAINT")) {
            int i = TableDdl.at(t, 2, "IF", "EXISTS") ? 4 : 2;
            String name = i < t.size() ? TableDdl.ident(t.get(i)) : null;
            return name == null ? null : schema -> {
                schema.info(table).constraints.remove(name);
                schema.indexes.remove(name);
            };
        } else if (action.startsWith("DROP")) {
            int i = TableDdl.at(t, 1, "COLUMN") ? 2 : 1;
            i = TableDdl.at(t, i, "IF", "EXISTS") ? i + 2 : i;
            String column = i < t.size() ? TableDdl.ident(t.get(i)) : null;
            return column == null ? null : schema -> schema.dropColumn(table, column);
        } else if (action.startsWith("RENAME", "TO") && t.size() > 2) {
            String newName = TableDdl.ident(t.get(2));
            return schema -> schema.renameTable(table, written, newName);
        } else if (action.startsWith("RENAME", "CONSTRAINT") && t.size() > 4) {
            String from = TableDdl.ident(t.get(2));
            String to = TableDdl.ident(t.get(4));
            return schema -> schema.renameConstraint(table, from, to);
        } else if (action.startsWith("RENAME")) {
            int i = TableDdl.at(t, 1, "COLUMN") ? 2 : 1;
            if (i + 2 < t.size() && t.get(i + 1).isWord("TO")) {
                String from = TableDdl.ident(t.get(i));
                String to = TableDdl.ident(t.get(i + 2));
                return schema -> schema.renameColumn(table, from, to);
            }
        }
        return null;
    }

    private void validateConstraint(String table, String name) {
        TableInfo info = info(table);
        Constraint c = info.constraints.get(name);
        if (c != null) {
            info.constraints.put(c.name(), new Constraint(c.name(), c.table(), c.kind(), c.columns(), true, c.notNullCheck()));
        }
    }

    private void alterColumn(String table, String column, String newType, boolean setNotNull, boolean dropNotNull) {
        TableInfo info = info(table);
        Column known = info.columns.get(column);
        if (newType != null) {
            info.columns.put(column, new Column(column, newType, known != null && known.notNull()));
        } else if (known != null && (setNotNull || dropNotNull)) {
            info.columns.put(column, new Column(known.name(), known.type(), setNotNull));
        }
    }

    private void dropColumn(String table, String column) {
        TableInfo info = info(table);
        info.columns.remove(column);
        info.constraints.values().removeIf(c -> c.columns().contains(column));
        indexes.values().removeIf(i -> i.table().equals(table) && i.columns().contains(column));
    }

    private void renameColumn(String table, String from, String to) {
        if (from == null || to == null) {
            return;
        }
        TableInfo info = info(table);
        Map<String, Column> renamed = new LinkedHashMap<>();
        info.columns.forEach((n, c) -> renamed.put(n.equals(from) ? to : n,
                n.equals(from) ? new Column(to, c.type(), c.notNull()) : c));
        info.columns.clear();
        info.columns.putAll(renamed);
        info.constraints.replaceAll((n, c) -> new Constraint(c.name(), c.table(), c.kind(), rename(c.columns(), from, to),
                c.validated(), c.notNullCheck()));
        indexes.replaceAll((n, i) -> i.table().equals(table)
                ? new Index(i.name(), i.table(), rename(i.columns(), from, to), i.unique(), i.partial()) : i);
    }

    private static List<String> rename(List<String> names, String from, String to) {
        return names.stream().map(n -> n.equals(from) ? to : n).toList();
    }

    private void renameConstraint(String table, String from, String to) {
        if (from == null || to == null) {
            return;
        }
        TableInfo info = info(table);
        Constraint c = info.constraints.remove(from);
        if (c != null) {
            info.constraints.put(to, new Constraint(to, c.table(), c.kind(), c.columns(), c.validated(), c.notNullCheck()));
        }
        Index i = indexes.remove(from);
        if (i != null) {
            putIndex(new Index(to, i.table(), i.columns(), i.unique(), i.partial()));
        }
    }

    private void renameTable(String table, String written, String newName) {
        if (newName == null) {
            return;
        }
        int dot = written.lastIndexOf('.');
        String target = normalise(dot < 0 ? newName : written.substring(0, dot + 1) + newName);
        if (tables.remove(table)) {
            tables.add(target);
        }
        if (createdInMigration.remove(table)) {
            createdInMigration.add(target);
        }
        TableInfo info = details.remove(table);
        if (info != null) {
            info.constraints.replaceAll((n, c) -> new Constraint(c.name(), target, c.kind(), c.columns(), c.validated(),
                    c.notNullCheck()));
            details.put(target, info);
        }
        indexes.replaceAll((n, i) -> i.table().equals(table)
                ? new Index(i.name(), target, i.columns(), i.unique(), i.partial()) : i);
    }

    private static Edit createIndex(List<Token> tokens) {
        int i = 1;
        boolean unique = TableDdl.at(tokens, i, "UNIQUE");
        while (i < tokens.size() && !tokens.get(i).isWord("INDEX")) {
            i++;
        }
        i++;
        if (TableDdl.at(tokens, i, "CONCURRENTLY")) {
            i++;
        }
        if (TableDdl.at(tokens, i, "IF", "NOT", "EXISTS")) {
            i += 3;
        }
        String name = null;
        if (!TableDdl.at(tokens, i, "ON")) {
            name = TableDdl.ident(tokens.get(i));
            i++;
        }
        if (!TableDdl.at(tokens, i, "ON")) {
            return NOTHING;
        }
        i++;
        if (TableDdl.at(tokens, i, "ONLY")) {
            i++;
        }
        Optional<TableDdl.Name> table = TableDdl.name(tokens, i);
        if (table.isEmpty()) {
            return NOTHING;
        }
        i = table.get().end();
        if (TableDdl.at(tokens, i, "USING")) {
            i += 2;
        }
        List<String> columns = TableDdl.nameList(tokens, i);
        boolean partial = TableDdl.indexOfWord(tokens, i, "WHERE") >= 0;
        String t = normalise(table.get().text());
        if (name == null) {
            name = table.get().last() + "_" + String.join("_", columns.stream().map(c -> c.startsWith("(") ? "expr" : c)
                    .toList()) + "_idx";
        }
        Index index = new Index(name, t, columns, unique, partial);
        boolean ifNotExists = TableDdl.hasWords(tokens, "IF", "NOT", "EXISTS");
        return schema -> {
            if (!(schema.indexes.containsKey(index.name()) && ifNotExists)) {
                schema.putIndex(index);
            }
        };
    }

    private void renameIndex(List<Token> tokens) {
        int i = 2;
        if (TableDdl.at(tokens, i, "IF", "EXISTS")) {
            i += 2;
        }
        Optional<TableDdl.Name> name = TableDdl.name(tokens, i);
        if (name.isEmpty() || !TableDdl.at(tokens, name.get().end(), "RENAME", "TO")
                || name.get().end() + 2 >= tokens.size()) {
            return;
        }
        String to = TableDdl.ident(tokens.get(name.get().end() + 2));
        Index old = indexes.remove(name.get().last());
        if (old != null && to != null) {
            putIndex(new Index(to, old.table(), old.columns(), old.unique(), old.partial()));
            TableInfo info = details.get(old.table());
            Constraint c = info == null ? null : info.constraints.remove(old.name());
            if (c != null) {
                info.constraints.put(to, new Constraint(to, c.table(), c.kind(), c.columns(), c.validated(), c.notNullCheck()));
            }
        }
    }

    private void putIndex(Index index) {
        indexes.put(index.name(), index);
    }

    private static String lastPart(String name) {
        return name.substring(name.lastIndexOf('.') + 1);
    }

    /** {@code public.users} and {@code users} are the same table. */
    public static String normalise(String relation) {
        return relation.startsWith("public.") ? relation.substring(7) : relation;
    }
}
