package dev.reverso.lint.rules;

import dev.reverso.lint.SchemaState;
import dev.reverso.lint.TableDdl;
import dev.reverso.sql.Identifiers;
import dev.reverso.sql.Keywords;
import dev.reverso.sql.Statement;
import dev.reverso.sql.Token;
import dev.reverso.sql.TokenType;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The parts of DDL and DML statements the safety and design rules read, from a statement's
 * tokens: CREATE TABLE column and constraint lists, ALTER TABLE subcommands, column types,
 * CREATE INDEX key columns, enum changes. It reads what is written and guesses nothing: a part
 * it does not recognise is left out, so rules miss it rather than misreport it.
 */
final class Ddl {

    /** {@link #alterTable(Statement)} of the current statement, parsed once for all rules. */
    static Optional<Alter> alterTable(dev.reverso.lint.StatementContext ctx) {
        return ctx.perStatement("ddl:alter-table", c -> alterTable(c.step().statement()));
    }

    /**
     * The current ALTER TABLE unless this migration created its table (the common exemption of
     * the lock rules); empty otherwise.
     */
    static Optional<Alter> alterExistingTable(dev.reverso.lint.StatementContext ctx) {
        Optional<Alter> alter = alterTable(ctx);
        return alter.isPresent() && ctx.createdInThisMigration(alter.get().table()) ? Optional.empty() : alter;
    }

    /** {@link #createTable(Statement)} of the current statement, read once for all rules. */
    static Optional<Table> createTable(dev.reverso.lint.StatementContext ctx) {
        return ctx.perStatement("ddl:create-table", c -> createTable(c.step().statement()));
    }

    /** {@link #createIndex(Statement)} of the current statement, read once for all rules. */
    static Optional<Index> createIndex(dev.reverso.lint.StatementContext ctx) {
        return ctx.perStatement("ddl:create-index", c -> createIndex(c.step().statement()));
    }

    /** {@link #addValue(Statement)} of the current statement, read once for all rules. */
    static Optional<AddValue> addValue(dev.reverso.lint.StatementContext ctx) {
        return ctx.perStatement("ddl:add-value", c -> addValue(c.step().statement()));
    }

    /** {@link #typedColumns(Statement)} of the current statement, read once for all rules. */
    static List<Column> typedColumns(dev.reverso.lint.StatementContext ctx) {
        return ctx.perStatement("ddl:typed-columns", c -> {
            // The same reading as typedColumns(Statement), from the shared parses.
            Statement s = c.step().statement();
            Optional<Table> table = createTable(c);
            if (table.isPresent()) {
                return table.get().columns();
            }
            List<Column> columns = new ArrayList<>();
            Optional<Alter> alter = alterTable(c);
            if (alter.isPresent()) {
                List<Optional<Column>> added = addedColumns(c);
                for (int i = 0; i < alter.get().actions().size(); i++) {
                    added.get(i).ifPresent(columns::add);
                    alteredType(s, alter.get().table(), alter.get().actions().get(i)).ifPresent(columns::add);
                }
            }
            return columns;
        });
    }

    /** For each action of the current ALTER TABLE, the column it adds, read once for all rules. */
    static List<Optional<Column>> addedColumns(dev.reverso.lint.StatementContext ctx) {
        return ctx.perStatement("ddl:added-columns",
                c -> eachAction(c, (alter, action) -> addedColumn(c.step().statement(), alter.table(), action)));
    }

    /** For each action of the current ALTER TABLE, the table constraint it adds, read once for all rules. */
    static List<Optional<Constraint>> addedConstraints(dev.reverso.lint.StatementContext ctx) {
        return ctx.perStatement("ddl:added-constraints", c -> eachAction(c, (alter, action) -> addedConstraint(action)));
    }

    /** What {@code read} gives for each action of the current ALTER TABLE, in order; empty for another statement. */
    private static <T> List<T> eachAction(dev.reverso.lint.StatementContext ctx,
                                          java.util.function.BiFunction<Alter, List<Token>, T> read) {
        Optional<Alter> alter = alterTable(ctx);
        if (alter.isEmpty()) {
            return List.of();
        }
        List<T> out = new ArrayList<>(alter.get().actions().size());
        for (List<Token> action : alter.get().actions()) {
            out.add(read.apply(alter.get(), action));
        }
        return out;
    }

    /** Words that start a table constraint in a CREATE TABLE list or after ALTER TABLE ... ADD. */
    private static final Keywords TABLE_CONSTRAINT_START = Keywords.of("CONSTRAINT", "CHECK", "UNIQUE", "PRIMARY",
            "FOREIGN", "EXCLUDE");

    /** Words that end a column's type and start its constraints (or ALTER COLUMN TYPE's USING). */
    private static final Keywords AFTER_TYPE = Keywords.of("CONSTRAINT", "NOT", "NULL", "DEFAULT", "PRIMARY", "UNIQUE",
            "REFERENCES", "CHECK", "GENERATED", "COLLATE", "DEFERRABLE", "INITIALLY", "COMPRESSION", "STORAGE", "USING");

    private Ddl() {
    }

    // ---------------------------------------------------------------- tokens

    // The bracket-aware token primitives are TableDdl's; these names are kept for the rules that use them.

    /** Whether the tokens from {@code i} on are these words. */
    static boolean at(List<Token> tokens, int i, String word) {
        return TableDdl.at(tokens, i, word);
    }

    static boolean at(List<Token> tokens, int i, String first, String second) {
        return TableDdl.at(tokens, i, first, second);
    }

    static boolean at(List<Token> tokens, int i, String first, String second, String third) {
        return TableDdl.at(tokens, i, first, second, third);
    }

    static boolean at(List<Token> tokens, int i, String... words) {
        return TableDdl.at(tokens, i, words);
    }

    /** Where these words first occur outside brackets, or -1. */
    static int find(List<Token> tokens, String... words) {
        return TableDdl.indexOfWords(tokens, words);
    }

    static boolean has(List<Token> tokens, String... words) {
        return TableDdl.hasWords(tokens, words);
    }

    static boolean isIdent(Token t) {
        return TableDdl.isIdent(t);
    }

    /** The name an identifier token stands for, as PostgreSQL stores it. */
    static String name(Token t) {
        return Identifiers.name(t);
    }

    /** The index of the bracket closing the one at {@code open}, or the size if it is not closed. */
    static int close(List<Token> tokens, int open) {
        return TableDdl.closing(tokens, open);
    }

    /** The comma-separated parts outside brackets. */
    static List<List<Token>> split(List<Token> tokens) {
        return TableDdl.splitTopLevel(tokens);
    }

    /** The parts of the bracketed list that opens at {@code open}. */
    static List<List<Token>> list(List<Token> tokens, int open) {
        return split(tokens.subList(open + 1, Math.min(close(tokens, open), tokens.size())));
    }

    /** The source text from the first to the last of these tokens of the statement. */
    static String text(Statement s, List<Token> range) {
        if (range.isEmpty()) {
            return "";
        }
        int base = s.tokens().get(0).offset();
        return s.sql().substring(range.get(0).offset() - base, range.get(range.size() - 1).end() - base);
    }

    /** The source text of {@code whole} with the tokens {@code part} (a sublist of it) replaced. */
    static String replace(Statement s, List<Token> whole, List<Token> part, String replacement) {
        int base = s.tokens().get(0).offset();
        int from = whole.get(0).offset() - base;
        int to = whole.get(whole.size() - 1).end() - base;
        if (part.isEmpty()) {
            return s.sql().substring(from, to);
        }
        return s.sql().substring(from, part.get(0).offset() - base) + replacement
                + s.sql().substring(part.get(part.size() - 1).end() - base, to);
    }

    /** A possibly qualified name read from tokens: its parts joined with dots, and where it ends. */
    record Name(String text, String last, int end) {
    }

    static Optional<Name> qualifiedName(List<Token> tokens, int i) {
        if (i >= tokens.size() || !isIdent(tokens.get(i))) {
            return Optional.empty();
        }
        StringBuilder text = new StringBuilder(name(tokens.get(i)));
        String last = name(tokens.get(i));
        int j = i + 1;
        while (j + 1 < tokens.size() && tokens.get(j).isSymbol(".") && isIdent(tokens.get(j + 1))) {
            last = name(tokens.get(j + 1));
            text.append('.').append(last);
            j += 2;
        }
        return Optional.of(new Name(text.toString(), last, j));
    }

    /** The plain column names of a bracketed list such as {@code (a, b)}; expressions are skipped. */
    static List<String> columnNames(List<Token> tokens, int open) {
        return TableDdl.nameList(tokens, open).stream().filter(n -> !n.equals("(expression)")).toList();
    }

    /** The UTF-8 length PostgreSQL limits identifiers by (NAMEDATALEN - 1 = 63 bytes). */
    static int bytes(String name) {
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) >= 0x80) {
                return name.getBytes(StandardCharsets.UTF_8).length;
            }
        }
        return name.length(); // ASCII, one byte a character: no need to encode it
    }

    /** The name cut to at most {@code max} UTF-8 bytes without splitting a character, as PostgreSQL truncates it. */
    static String truncate(String name, int max) {
        StringBuilder out = new StringBuilder();
        int used = 0;
        for (int cp : name.codePoints().toArray()) {
            int size = bytes(new String(Character.toChars(cp)));
            if (used + size > max) {
                break;
            }
            out.appendCodePoint(cp);
            used += size;
        }
        return out.toString();
    }

    static boolean sameTable(String a, String b) {
        return SchemaState.normalise(a).equals(SchemaState.normalise(b));
    }

    // ---------------------------------------------------------------- types

    /**
     * A column type: {@code base} normalised ({@code integer}, {@code smallint}, {@code bigint},
     * {@code serial}, {@code smallserial}, {@code bigserial}, {@code varchar}, {@code char},
     * {@code timestamp}, {@code timestamptz}, {@code json}, ... or the first word as written),
     * its length or precision if given, whether it is an array, and its text.
     */
    record Type(String base, OptionalInt length, boolean array, String text) {

        boolean is(String... bases) {
            return List.of(bases).contains(base);
        }

        /** A 2- or 4-byte integer, plain or serial. */
        boolean narrowInteger() {
            return is("integer", "smallint", "serial", "smallserial");
        }

        boolean serial() {
            return is("serial", "smallserial", "bigserial");
        }

        /** Another type with this one's array brackets, for rewrites: {@code json[]} becomes {@code jsonb[]}. */
        String as(String other) {
            return array ? other + "[]" : other;
        }
    }

    static Type type(Statement s, List<Token> tokens) {
        List<String> words = new ArrayList<>();
        OptionalInt length = OptionalInt.empty();
        boolean array = false;
        int i = tokens.size() >= 3 && tokens.get(1).isSymbol(".") ? 2 : 0;
        String quoted = i < tokens.size() && tokens.get(i).type() == TokenType.QUOTED_IDENT ? tokens.get(i).text() : null;
        for (int k = i; k < tokens.size(); k++) {
            Token t = tokens.get(k);
            if (t.type() == TokenType.WORD) {
                words.add(t.text().toLowerCase(Locale.ROOT));
            } else if (t.isSymbol("(")) {
                if (length.isEmpty() && k + 1 < tokens.size() && digits(tokens.get(k + 1).text())) {
                    length = OptionalInt.of(Integer.parseInt(tokens.get(k + 1).text()));
                }
                k = close(tokens, k);
            } else if (t.isSymbol("[")) {
                array = true;
            }
        }
        array |= words.contains("array");
        String base = quoted != null ? quoted : base(words);
        return new Type(base, length, array, text(s, tokens));
    }

    /** Whether the text is 1 to 9 ASCII digits (a length that fits an int). */
    private static boolean digits(String text) {
        if (text.isEmpty() || text.length() > 9) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static String base(List<String> words) {
        if (words.isEmpty()) {
            return "";
        }
        String all = String.join(" ", words);
        String first = words.get(0);
        if (first.equals("national") || first.equals("nchar")) {
            return all.contains("varying") ? "varchar" : "char";
        }
        return switch (first) {
            case "int", "integer", "int4" -> "integer";
            case "smallint", "int2" -> "smallint";
            case "bigint", "int8" -> "bigint";
            case "serial", "serial4" -> "serial";
            case "smallserial", "serial2" -> "smallserial";
            case "bigserial", "serial8" -> "bigserial";
            case "varchar" -> "varchar";
            case "character", "char" -> words.size() > 1 && words.get(1).equals("varying") ? "varchar" : "char";
            case "bpchar" -> "char";
            case "timestamp" -> words.contains("with") ? "timestamptz" : "timestamp";
            default -> first;
        };
    }

    // ---------------------------------------------------------------- columns

    /** Where a column definition comes from. */
    enum Origin { CREATE_TABLE, ADD_COLUMN, ALTER_TYPE }

    /**
     * One column definition (or the new type of ALTER COLUMN TYPE): the statement it is in, the
     * table (as written: unquoted, case-folded), the definition's tokens from the column name to
     * its end, where the type starts and ends in them, and whether it comes from CREATE TABLE,
     * ALTER TABLE ADD COLUMN or ALTER COLUMN TYPE. A class rather than a record for one reason:
     * the type is read once, when first asked for (several rules ask, for every column of a file,
     * and most readers of a column never do).
     */
    static final class Column {

        private final Statement statement;
        private final String table;
        private final List<Token> tokens;
        private final int typeFrom;
        private final int typeTo;
        private final Origin origin;
        /** Read on first use; two threads may both read it, to the same value. */
        private Type type;

        Column(Statement statement, String table, List<Token> tokens, int typeFrom, int typeTo, Origin origin) {
            this.statement = statement;
            this.table = table;
            this.tokens = tokens;
            this.typeFrom = typeFrom;
            this.typeTo = typeTo;
            this.origin = origin;
        }

        Statement statement() {
            return statement;
        }

        String table() {
            return table;
        }

        List<Token> tokens() {
            return tokens;
        }

        Origin origin() {
            return origin;
        }

        Type type() {
            Type read = type;
            if (read == null) {
                read = Ddl.type(statement, tokens.subList(typeFrom, typeTo));
                type = read;
            }
            return read;
        }

        String name() {
            return Ddl.name(tokens.get(0));
        }

        /** The column constraints after the type. */
        List<Token> constraints() {
            return tokens.subList(typeTo, tokens.size());
        }

        boolean notNull() {
            return has(constraints(), "NOT", "NULL") || primaryKey();
        }

        boolean hasDefault() {
            return has(constraints(), "DEFAULT");
        }

        boolean primaryKey() {
            return has(constraints(), "PRIMARY", "KEY");
        }

        boolean unique() {
            return has(constraints(), "UNIQUE");
        }

        /** GENERATED ... AS IDENTITY. */
        boolean identity() {
            return has(constraints(), "GENERATED") && has(constraints(), "IDENTITY");
        }

        /** GENERATED ALWAYS AS (expression) STORED. */
        boolean generatedExpression() {
            return has(constraints(), "GENERATED") && !has(constraints(), "IDENTITY");
        }

        /** The table REFERENCES names, if the column has that constraint. */
        Optional<String> references() {
            int at = find(constraints(), "REFERENCES");
            return at < 0 ? Optional.empty() : qualifiedName(constraints(), at + 1).map(Name::text);
        }

        /** A primary key, foreign key or identity column: the columns prefer-bigint is about. */
        boolean key() {
            return primaryKey() || references().isPresent() || identity();
        }

        /**
         * The definition with another type, as the user would paste it: the column definition
         * for CREATE TABLE, the whole statement for ALTER TABLE.
         */
        String withType(String newType) {
            List<Token> whole = origin == Origin.CREATE_TABLE ? tokens : statement.tokens();
            String sql = replace(statement, whole, tokens.subList(typeFrom, typeTo), newType);
            return origin == Origin.CREATE_TABLE ? sql : sql + ";";
        }
    }

    /** Reads {@code name type [constraints]}. */
    private static Optional<Column> column(Statement s, String table, List<Token> def, Origin origin) {
        if (def.isEmpty() || !isIdent(def.get(0))) {
            return Optional.empty();
        }
        int to = 1;
        int depth = 0;
        for (; to < def.size(); to++) {
            Token t = def.get(to);
            if (depth == 0 && AFTER_TYPE.contains(t)) {
                break;
            }
            depth += t.isSymbol("(") || t.isSymbol("[") ? 1 : t.isSymbol(")") || t.isSymbol("]") ? -1 : 0;
        }
        return Optional.of(new Column(s, table, def, 1, to, origin));
    }

    // ---------------------------------------------------------------- constraints

    /**
     * A table constraint: its kind ({@code PRIMARY KEY}, {@code UNIQUE}, {@code FOREIGN KEY},
     * {@code CHECK} or {@code EXCLUDE}), its name if given, its columns, the table a foreign key
     * references, and whether it adopts an existing index ({@code USING INDEX}).
     */
    record Constraint(String kind, Optional<String> name, List<String> columns, Optional<String> references,
                      boolean usingIndex, List<Token> tokens) {

        boolean uniqueness() {
            return kind.equals("PRIMARY KEY") || kind.equals("UNIQUE") || kind.equals("EXCLUDE");
        }
    }

    private static Optional<Constraint> constraint(List<Token> c) {
        int i = 0;
        Optional<String> name = Optional.empty();
        if (at(c, 0, "CONSTRAINT") && c.size() > 1 && isIdent(c.get(1))) {
            name = Optional.of(name(c.get(1)));
            i = 2;
        }
        String kind;
        if (at(c, i, "PRIMARY", "KEY") || at(c, i, "FOREIGN", "KEY")) {
            kind = c.get(i).upper() + " KEY";
            i += 2;
        } else if (at(c, i, "UNIQUE") || at(c, i, "CHECK") || at(c, i, "EXCLUDE")) {
            kind = c.get(i).upper();
            i++;
        } else {
            return Optional.empty();
        }
        while (at(c, i, "NULLS") || at(c, i, "NOT") || at(c, i, "DISTINCT")) {
            i++;
        }
        if (kind.equals("EXCLUDE") && at(c, i, "USING")) {
            i += 2;
        }
        List<String> columns = kind.equals("CHECK") ? List.of() : columnNames(c, i);
        int ref = find(c, "REFERENCES");
        Optional<String> references = ref < 0 ? Optional.empty() : qualifiedName(c, ref + 1).map(Name::text);
        return Optional.of(new Constraint(kind, name, columns, references, has(c, "USING", "INDEX"), c));
    }

    // ---------------------------------------------------------------- CREATE TABLE

    /** A CREATE TABLE with its column and constraint list (both empty for PARTITION OF and OF type). */
    record Table(String name, List<Column> columns, List<Constraint> constraints) {
    }

    /** Reads a {@code CREATE ... TABLE} statement; empty for anything else (CREATE TABLE AS included). */
    static Optional<Table> createTable(Statement s) {
        List<Token> t = s.tokens();
        int i = 1;
        while (i < t.size() && i < 5 && !t.get(i).isWord("TABLE")) {
            i++;
        }
        if (!at(t, 0, "CREATE") || !at(t, i, "TABLE")) {
            return Optional.empty();
        }
        i = at(t, i + 1, "IF", "NOT", "EXISTS") ? i + 4 : i + 1;
        Optional<Name> name = qualifiedName(t, i);
        if (name.isEmpty()) {
            return Optional.empty();
        }
        int open = name.get().end();
        List<Column> columns = new ArrayList<>();
        List<Constraint> constraints = new ArrayList<>();
        if (open < t.size() && t.get(open).isSymbol("(")) {
            for (List<Token> element : list(t, open)) {
                if (element.isEmpty() || element.get(0).isWord("LIKE")) {
                    continue;
                }
                if (TABLE_CONSTRAINT_START.contains(element.get(0))) {
                    constraint(element).ifPresent(constraints::add);
                } else {
                    column(s, name.get().text(), element, Origin.CREATE_TABLE).ifPresent(columns::add);
                }
            }
        }
        return Optional.of(new Table(name.get().text(), columns, constraints));
    }

    // ---------------------------------------------------------------- ALTER TABLE

    /** An ALTER TABLE (or VIEW, MATERIALIZED VIEW, FOREIGN TABLE) and its comma-separated subcommands. */
    record Alter(String table, List<List<Token>> actions) {
    }

    static Optional<Alter> alterTable(Statement s) {
        List<Token> t = s.tokens();
        int i;
        if (at(t, 0, "ALTER", "TABLE") || at(t, 0, "ALTER", "VIEW")) {
            i = 2;
        } else if (at(t, 0, "ALTER", "FOREIGN", "TABLE") || at(t, 0, "ALTER", "MATERIALIZED", "VIEW")) {
            i = 3;
        } else {
            return Optional.empty();
        }
        i = at(t, i, "IF", "EXISTS") ? i + 2 : i;
        i = at(t, i, "ONLY") ? i + 1 : i;
        Optional<Name> name = qualifiedName(t, i);
        if (name.isEmpty()) {
            return Optional.empty();
        }
        int from = name.get().end();
        from = from < t.size() && t.get(from).isSymbol("*") ? from + 1 : from;
        return Optional.of(new Alter(name.get().text(), split(t.subList(from, t.size()))));
    }

    /** {@code ADD [COLUMN] [IF NOT EXISTS] name type ...}. */
    static Optional<Column> addedColumn(Statement s, String table, List<Token> action) {
        if (!at(action, 0, "ADD") || action.size() < 2
                || TABLE_CONSTRAINT_START.contains(action.get(1))) {
            return Optional.empty();
        }
        int i = at(action, 1, "COLUMN") ? 2 : 1;
        i = at(action, i, "IF", "NOT", "EXISTS") ? i + 3 : i;
        return column(s, table, action.subList(i, action.size()), Origin.ADD_COLUMN);
    }

    /** {@code ADD [CONSTRAINT name] PRIMARY KEY|UNIQUE|FOREIGN KEY|CHECK|EXCLUDE ...}. */
    static Optional<Constraint> addedConstraint(List<Token> action) {
        if (!at(action, 0, "ADD") || action.size() < 2 || !TABLE_CONSTRAINT_START.contains(action.get(1))) {
            return Optional.empty();
        }
        return constraint(action.subList(1, action.size()));
    }

    /** {@code ALTER [COLUMN] name [SET DATA] TYPE type [USING ...]}. */
    static Optional<Column> alteredType(Statement s, String table, List<Token> action) {
        if (!at(action, 0, "ALTER") || at(action, 1, "CONSTRAINT")) {
            return Optional.empty();
        }
        int i = at(action, 1, "COLUMN") ? 2 : 1;
        int type = at(action, i + 1, "SET", "DATA", "TYPE") ? i + 4 : at(action, i + 1, "TYPE") ? i + 2 : -1;
        if (type < 0 || !isIdent(action.get(i))) {
            return Optional.empty();
        }
        List<Token> def = action.subList(i, action.size());
        int to = type - i;
        while (to < def.size() && !def.get(to).isWord("USING") && !def.get(to).isWord("COLLATE")) {
            to++;
        }
        return Optional.of(new Column(s, table, def, type - i, to, Origin.ALTER_TYPE));
    }

    /** The column an {@code ALTER [COLUMN] name ...} subcommand alters, if it is one. */
    static Optional<String> alteredColumn(List<Token> action) {
        if (!at(action, 0, "ALTER") || at(action, 1, "CONSTRAINT")) {
            return Optional.empty();
        }
        int i = at(action, 1, "COLUMN") ? 2 : 1;
        return i < action.size() && isIdent(action.get(i)) ? Optional.of(name(action.get(i))) : Optional.empty();
    }

    /** Every column a CREATE TABLE or ALTER TABLE defines or gives a new type, with its type. */
    static List<Column> typedColumns(Statement s) {
        Optional<Table> table = createTable(s);
        if (table.isPresent()) {
            return table.get().columns();
        }
        List<Column> columns = new ArrayList<>();
        alterTable(s).ifPresent(alter -> alter.actions().forEach(action -> {
            addedColumn(s, alter.table(), action).ifPresent(columns::add);
            alteredType(s, alter.table(), action).ifPresent(columns::add);
        }));
        return columns;
    }

    /**
     * The columns a CREATE TABLE's table constraints, or an ALTER TABLE's added constraints, make
     * primary or foreign keys.
     */
    static Set<String> keyColumns(Statement s) {
        List<Constraint> constraints = new ArrayList<>();
        createTable(s).ifPresent(table -> constraints.addAll(table.constraints()));
        alterTable(s).ifPresent(alter -> alter.actions().forEach(a -> addedConstraint(a).ifPresent(constraints::add)));
        Set<String> keys = new java.util.HashSet<>();
        constraints.stream().filter(c -> c.kind().equals("PRIMARY KEY") || c.kind().equals("FOREIGN KEY"))
                .forEach(c -> keys.addAll(c.columns()));
        return keys;
    }

    // ---------------------------------------------------------------- CREATE INDEX

    /**
     * A CREATE INDEX: its table, whether it is unique, its leading plain columns (up to the first
     * expression), its key elements as written, and its WHERE clause (empty if none).
     */
    record Index(String table, Optional<String> name, boolean unique, List<String> leading, List<String> keys,
                 String where) {
    }

    static Optional<Index> createIndex(Statement s) {
        List<Token> t = s.tokens();
        int i = 1;
        boolean unique = at(t, i, "UNIQUE");
        i = unique ? i + 1 : i;
        if (!at(t, 0, "CREATE") || !at(t, i, "INDEX")) {
            return Optional.empty();
        }
        i = at(t, i + 1, "CONCURRENTLY") ? i + 2 : i + 1;
        i = at(t, i, "IF", "NOT", "EXISTS") ? i + 3 : i;
        Optional<String> name = Optional.empty();
        if (!at(t, i, "ON") && i < t.size() && isIdent(t.get(i))) {
            name = Optional.of(name(t.get(i)));
            i++;
        }
        if (!at(t, i, "ON")) {
            return Optional.empty();
        }
        i = at(t, i + 1, "ONLY") ? i + 2 : i + 1;
        Optional<Name> table = qualifiedName(t, i);
        if (table.isEmpty()) {
            return Optional.empty();
        }
        int open = table.get().end();
        open = at(t, open, "USING") ? open + 2 : open;
        if (open >= t.size() || !t.get(open).isSymbol("(")) {
            return Optional.empty();
        }
        List<String> leading = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        boolean plain = true;
        for (List<Token> element : list(t, open)) {
            plain &= !element.isEmpty() && isIdent(element.get(0)) && (element.size() == 1 || !element.get(1).isSymbol("("));
            if (plain) {
                leading.add(name(element.get(0)));
            }
            int end = element.size();
            while (end > 1 && (element.get(end - 1).isWord("ASC") || element.get(end - 1).isWord("DESC")
                    || element.get(end - 1).isWord("FIRST") || element.get(end - 1).isWord("LAST")
                    || element.get(end - 1).isWord("NULLS"))) {
                end--;
            }
            keys.add(text(s, element.subList(0, end)));
        }
        List<Token> rest = t.subList(Math.min(close(t, open) + 1, t.size()), t.size());
        int where = find(rest, "WHERE");
        String predicate = where < 0 ? "" : text(s, rest.subList(where + 1, rest.size()));
        return Optional.of(new Index(table.get().text(), name, unique, leading, keys, predicate));
    }

    // ---------------------------------------------------------------- enums

    /** {@code ALTER TYPE name ADD VALUE [IF NOT EXISTS] 'label' [BEFORE|AFTER 'other']}. */
    record AddValue(String type, String label, boolean ifNotExists, boolean positioned) {
    }

    static Optional<AddValue> addValue(Statement s) {
        List<Token> t = s.tokens();
        if (!at(t, 0, "ALTER", "TYPE")) {
            return Optional.empty();
        }
        Optional<Name> type = qualifiedName(t, 2);
        if (type.isEmpty() || !at(t, type.get().end(), "ADD", "VALUE")) {
            return Optional.empty();
        }
        int i = type.get().end() + 2;
        boolean ifNotExists = at(t, i, "IF", "NOT", "EXISTS");
        i = ifNotExists ? i + 3 : i;
        if (i >= t.size() || t.get(i).type() != TokenType.STRING) {
            return Optional.empty();
        }
        boolean positioned = at(t, i + 1, "BEFORE") || at(t, i + 1, "AFTER");
        return Optional.of(new AddValue(type.get().text(), t.get(i).text(), ifNotExists, positioned));
    }

    /** The enums created by the statements before the current one, in order; computed once per file. */
    static java.util.List<EnumType> enumsCreatedBefore(dev.reverso.lint.StatementContext ctx) {
        EnumsCreated all = ctx.perFile("ddl:enums-created", EnumsCreated::of);
        // The enums come in statement order: those before this statement are a prefix of them.
        int before = java.util.Arrays.binarySearch(all.at(), ctx.index());
        return all.enums().subList(0, before >= 0 ? before : -before - 1);
    }

    /** The file's CREATE TYPE ... AS ENUM statements: where each is, in order, and what it creates. */
    private record EnumsCreated(int[] at, List<EnumType> enums) {

        static EnumsCreated of(dev.reverso.lint.MigrationFile migration) {
            int[] at = new int[8];
            List<EnumType> enums = new ArrayList<>();
            for (int k = 0; k < migration.steps().size(); k++) {
                Optional<EnumType> created = createEnum(migration.steps().get(k).statement());
                if (created.isPresent()) {
                    if (enums.size() == at.length) {
                        at = java.util.Arrays.copyOf(at, at.length * 2);
                    }
                    at[enums.size()] = k;
                    enums.add(created.get());
                }
            }
            return new EnumsCreated(java.util.Arrays.copyOf(at, enums.size()), enums);
        }
    }

    /** The enum a {@code CREATE TYPE name AS ENUM ('a', ...)} creates, with its labels as written. */
    record EnumType(String name, List<String> labels) {
    }

    static Optional<EnumType> createEnum(Statement s) {
        List<Token> t = s.tokens();
        Optional<Name> name = at(t, 0, "CREATE", "TYPE") ? qualifiedName(t, 2) : Optional.empty();
        if (name.isEmpty() || !at(t, name.get().end(), "AS", "ENUM")) {
            return Optional.empty();
        }
        int open = name.get().end() + 2;
        List<String> labels = new ArrayList<>();
        if (open < t.size() && t.get(open).isSymbol("(")) {
            list(t, open).stream().filter(p -> p.size() == 1).forEach(p -> labels.add(p.get(0).text()));
        }
        return Optional.of(new EnumType(name.get().text(), labels));
    }
}
