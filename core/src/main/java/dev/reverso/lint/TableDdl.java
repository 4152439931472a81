package dev.reverso.lint;

import dev.reverso.sql.Identifiers;
import dev.reverso.sql.Keywords;
import dev.reverso.sql.Token;
import dev.reverso.sql.TokenList;
import dev.reverso.sql.TokenType;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the parts of table DDL that the schema replay and the lock rules both need, from a
 * statement's significant tokens: the actions of an {@code ALTER TABLE}, column definitions,
 * table constraints, and type names. A best effort over tokens, not a parser: comments and
 * string contents never fool it, but unusual syntax may be read as "unknown".
 */
public final class TableDdl {

    /** Words that end a column's type and start its constraints or options. */
    private static final Keywords COLUMN_OPTION_WORDS = Keywords.of(
            "CONSTRAINT", "NOT", "NULL", "DEFAULT", "CHECK", "UNIQUE", "PRIMARY", "REFERENCES", "GENERATED",
            "COLLATE", "COMPRESSION", "STORAGE", "DEFERRABLE", "INITIALLY");

    private static final Keywords CONSTRAINT_WORDS = Keywords.of("CONSTRAINT", "CHECK", "UNIQUE", "PRIMARY", "FOREIGN",
            "EXCLUDE");

    private TableDdl() {
    }

    // ---------------------------------------------------------------- tokens

    /** The index of the bracket closing the "(" or "[" at {@code open}, or the list's size if unbalanced. */
    public static int closing(List<Token> list, int open) {
        TokenList tokens = TokenList.of(list);
        int depth = 0;
        for (int i = open; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.isSymbol("(") || t.isSymbol("[")) {
                depth++;
            } else if ((t.isSymbol(")") || t.isSymbol("]")) && --depth == 0) {
                return i;
            }
        }
        return tokens.size();
    }

    /** The tokens split at commas outside parentheses and brackets. */
    public static List<List<Token>> splitTopLevel(List<Token> list) {
        TokenList tokens = TokenList.of(list);
        List<List<Token>> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.isSymbol("(") || t.isSymbol("[")) {
                depth++;
            } else if (t.isSymbol(")") || t.isSymbol("]")) {
                depth--;
            } else if (depth == 0 && t.isSymbol(",")) {
                parts.add(tokens.subList(start, i));
                start = i + 1;
            }
        }
        if (start < tokens.size()) {
            parts.add(tokens.subList(start, tokens.size()));
        }
        return parts;
    }

    /** The index of the first {@code word} at parenthesis depth 0 from {@code from}, or -1. */
    public static int indexOfWord(List<Token> list, int from, String word) {
        TokenList tokens = TokenList.of(list);
        int depth = 0;
        for (int i = from; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (t.isSymbol("(") || t.isSymbol("[")) {
                depth++;
            } else if (t.isSymbol(")") || t.isSymbol("]")) {
                depth--;
            } else if (depth == 0 && t.isWord(word)) {
                return i;
            }
        }
        return -1;
    }

    /** Whether {@code word} appears at parenthesis depth 0. */
    public static boolean hasWord(List<Token> tokens, String word) {
        return indexOfWord(tokens, 0, word) >= 0;
    }

    /** Where the words first appear in this order, consecutively, at depth 0; -1 if nowhere. */
    public static int indexOfWords(List<Token> tokens, String... words) {
        for (int i = indexOfWord(tokens, 0, words[0]); i >= 0; i = indexOfWord(tokens, i + 1, words[0])) {
            if (at(tokens, i, words)) {
                return i;
            }
        }
        return -1;
    }

    /** Whether the words appear in this order, consecutively, at depth 0. */
    public static boolean hasWords(List<Token> tokens, String... words) {
        return indexOfWords(tokens, words) >= 0;
    }

    /*
     * at() for one, two and three words: the linter calls it millions of times on a large file, and
     * under C1 (bin/reverso's compiler) every call of the varargs form allocates its array.
     */

    /** Whether the token at {@code i} is this word (false for a negative {@code i}). */
    public static boolean at(List<Token> tokens, int i, String word) {
        if (tokens instanceof TokenList list) {
            Token t = list.at(i);
            return t != null && t.isWord(word);
        }
        return i >= 0 && i < tokens.size() && tokens.get(i).isWord(word);
    }

    /** Whether the tokens from {@code i} are these two words. */
    public static boolean at(List<Token> tokens, int i, String first, String second) {
        return at(tokens, i, first) && at(tokens, i + 1, second);
    }

    /** Whether the tokens from {@code i} are these three words. */
    public static boolean at(List<Token> tokens, int i, String first, String second, String third) {
        return at(tokens, i, first, second) && at(tokens, i + 2, third);
    }

    /** Whether the tokens from {@code i} are these words (false for a negative {@code i}). */
    public static boolean at(List<Token> tokens, int i, String... words) {
        if (i < 0) {
            return false;
        }
        for (int k = 0; k < words.length; k++) {
            if (i + k >= tokens.size() || !tokens.get(i + k).isWord(words[k])) {
                return false;
            }
        }
        return true;
    }

    public static boolean isIdent(Token t) {
        return t != null && (t.type() == TokenType.WORD || t.type() == TokenType.QUOTED_IDENT);
    }

    /** The name a token stands for (unquoted, case-folded), or null if it is not an identifier. */
    public static String ident(Token t) {
        return isIdent(t) ? Identifiers.name(t) : null;
    }

    /**
     * A possibly qualified name read from the tokens.
     *
     * @param text the dot-joined parts, unquoted and case-folded
     * @param end the index just past the name
     */
    public record Name(String text, int end) {

        /** The last part. */
        public String last() {
            return text.substring(text.lastIndexOf('.') + 1);
        }

        /** The schema part with its dot ({@code s.}), or "" when unqualified. */
        public String qualifier() {
            int dot = text.lastIndexOf('.');
            return dot < 0 ? "" : text.substring(0, dot + 1);
        }
    }

    /** The qualified name starting at {@code i}, if an identifier is there. */
    public static Optional<Name> name(List<Token> tokens, int i) {
        if (i >= tokens.size() || !isIdent(tokens.get(i))) {
            return Optional.empty();
        }
        String first = Identifiers.name(tokens.get(i));
        if (i + 2 >= tokens.size() || !tokens.get(i + 1).isSymbol(".")) {
            return Optional.of(new Name(first, i + 1)); // most names: one part, no text to build
        }
        StringBuilder text = new StringBuilder(first);
        int at = i + 1;
        while (at + 1 < tokens.size() && tokens.get(at).isSymbol(".") && isIdent(tokens.get(at + 1))) {
            text.append('.').append(Identifiers.name(tokens.get(at + 1)));
            at += 2;
        }
        return Optional.of(new Name(text.toString(), at));
    }

    /** The names in the parenthesised list at {@code open} (an expression element gives "(expression)"). */
    public static List<String> nameList(List<Token> tokens, int open) {
        List<String> names = new ArrayList<>();
        if (open >= tokens.size() || !tokens.get(open).isSymbol("(")) {
            return names;
        }
        int close = closing(tokens, open);
        for (List<Token> element : splitTopLevel(tokens.subList(open + 1, Math.min(close, tokens.size())))) {
            boolean plain = !element.isEmpty() && isIdent(element.get(0))
                    && !(element.size() > 1 && element.get(1).isSymbol("("));
            names.add(plain ? Identifiers.name(element.get(0)) : "(expression)");
        }
        return names;
    }

    // ---------------------------------------------------------------- ALTER TABLE

    /**
     * An {@code ALTER TABLE} statement.
     *
     * @param table the table as written (unquoted, case-folded, schema-qualified if it was)
     * @param actions its comma-separated actions
     */
    public record AlterTable(String table, List<Action> actions) {
    }

    /** Reads {@code ALTER TABLE [IF EXISTS] [ONLY] name [*] action, ...}; empty for any other statement. */
    public static Optional<AlterTable> alterTable(List<Token> tokens) {
        if (!at(tokens, 0, "ALTER", "TABLE")) {
            return Optional.empty();
        }
        int i = 2;
        if (at(tokens, i, "IF", "EXISTS")) {
            i += 2;
        }
        if (at(tokens, i, "ALL", "IN", "TABLESPACE")) {
            return Optional.empty();
        }
        if (at(tokens, i, "ONLY")) {
            i++;
        }
        Optional<Name> table = name(tokens, i);
        if (table.isEmpty()) {
            return Optional.empty();
        }
        i = table.get().end();
        if (i < tokens.size() && tokens.get(i).isSymbol("*")) {
            i++;
        }
        List<Action> actions = new ArrayList<>();
        for (List<Token> part : splitTopLevel(tokens.subList(i, tokens.size()))) {
            if (!part.isEmpty()) {
                actions.add(new Action(part));
            }
        }
        return Optional.of(new AlterTable(table.get().text(), actions));
    }

    /** One action of an ALTER TABLE, such as {@code ADD COLUMN c int} or {@code VALIDATE CONSTRAINT c}. */
    public record Action(List<Token> tokens) {

        public boolean startsWith(String word) {
            return at(tokens, 0, word);
        }

        public boolean startsWith(String first, String second) {
            return at(tokens, 0, first, second);
        }

        public boolean startsWith(String... words) {
            return at(tokens, 0, words);
        }

        /** {@code ADD [COLUMN] [IF NOT EXISTS] column-definition}. */
        public Optional<ColumnDef> addColumn() {
            if (!startsWith("ADD") || tokens.size() < 2) {
                return Optional.empty();
            }
            int i = 1;
            if (tokens.get(i).isWord("COLUMN")) {
                i++;
            } else if (CONSTRAINT_WORDS.contains(tokens.get(i))) {
                return Optional.empty();
            }
            if (at(tokens, i, "IF", "NOT", "EXISTS")) {
                i += 3;
            }
            return columnDef(tokens.subList(i, tokens.size()));
        }

        /** {@code ADD [CONSTRAINT name] CHECK|UNIQUE|PRIMARY KEY|FOREIGN KEY|EXCLUDE ...}. */
        public Optional<TableConstraint> addConstraint() {
            if (!startsWith("ADD") || tokens.size() < 2) {
                return Optional.empty();
            }
            return tableConstraint(tokens.subList(1, tokens.size()));
        }

        /** {@code ALTER [COLUMN] name ...}: the column and the tokens after its name. */
        public Optional<AlterColumn> alterColumn() {
            if (!startsWith("ALTER") || startsWith("ALTER", "CONSTRAINT")) {
                return Optional.empty();
            }
            int i = at(tokens, 1, "COLUMN") ? 2 : 1;
            if (i >= tokens.size() || !isIdent(tokens.get(i))) {
                return Optional.empty();
            }
            return Optional.of(new AlterColumn(Identifiers.name(tokens.get(i)), tokens.subList(i + 1, tokens.size())));
        }

        /** The constraint named by {@code VALIDATE CONSTRAINT name}. */
        public Optional<String> validatedConstraint() {
            return startsWith("VALIDATE", "CONSTRAINT") && tokens.size() > 2
                    ? Optional.ofNullable(ident(tokens.get(2))) : Optional.empty();
        }
    }

    /** {@code ALTER COLUMN c} and what follows the column's name. */
    public record AlterColumn(String column, List<Token> rest) {

        /** The new type's tokens of {@code [SET DATA] TYPE t [COLLATE ...] [USING ...]}. */
        public Optional<List<Token>> newType() {
            int i = at(rest, 0, "SET", "DATA", "TYPE") ? 3 : at(rest, 0, "TYPE") ? 1 : -1;
            if (i < 0) {
                return Optional.empty();
            }
            int end = i;
            int depth = 0;
            while (end < rest.size()) {
                Token t = rest.get(end);
                if (t.isSymbol("(") || t.isSymbol("[")) {
                    depth++;
                } else if (t.isSymbol(")") || t.isSymbol("]")) {
                    depth--;
                } else if (depth == 0 && (t.isWord("USING") || t.isWord("COLLATE"))) {
                    break;
                }
                end++;
            }
            return Optional.of(rest.subList(i, end));
        }

        public boolean using() {
            return newType().isPresent() && hasWord(rest, "USING");
        }

        public boolean setNotNull() {
            return at(rest, 0, "SET", "NOT", "NULL");
        }

        public boolean dropNotNull() {
            return at(rest, 0, "DROP", "NOT", "NULL");
        }
    }

    // ---------------------------------------------------------------- columns

    /**
     * A column definition: {@code name type [constraints and options]}.
     *
     * @param name the column's name
     * @param typeTokens the type as written
     * @param options the constraints and options after the type
     */
    public record ColumnDef(String name, List<Token> typeTokens, List<Token> options) {

        /** The declared type, normalised (see {@link TableDdl#normaliseType}). */
        public String type() {
            return normaliseType(typeTokens);
        }

        public boolean notNull() {
            return hasWords(options, "NOT", "NULL") || primaryKey();
        }

        public boolean primaryKey() {
            return hasWords(options, "PRIMARY", "KEY");
        }

        public boolean unique() {
            return hasWord(options, "UNIQUE");
        }

        public boolean check() {
            return hasWord(options, "CHECK");
        }

        /** The tokens of the inline CHECK's parenthesised expression, with the parentheses. */
        public List<Token> checkExpression() {
            int i = indexOfWord(options, 0, "CHECK");
            if (i < 0 || i + 1 >= options.size()) {
                return List.of();
            }
            return options.subList(i + 1, Math.min(options.size(), closing(options, i + 1) + 1));
        }

        /** The table an inline REFERENCES names. */
        public Optional<String> references() {
            int i = indexOfWord(options, 0, "REFERENCES");
            return i < 0 ? Optional.empty() : TableDdl.name(options, i + 1).map(Name::text);
        }

        /** The DEFAULT expression's tokens, if there is one. */
        public Optional<List<Token>> defaultExpression() {
            int i = indexOfWord(options, 0, "DEFAULT");
            if (i < 0) {
                return Optional.empty();
            }
            int end = i + 1;
            int depth = 0;
            while (end < options.size()) {
                Token t = options.get(end);
                if (t.isSymbol("(") || t.isSymbol("[")) {
                    depth++;
                } else if (t.isSymbol(")") || t.isSymbol("]")) {
                    depth--;
                } else if (depth == 0 && COLUMN_OPTION_WORDS.contains(t)
                        && !(t.isWord("NULL") && end == i + 1)) {
                    break;
                }
                end++;
            }
            return Optional.of(options.subList(i + 1, end));
        }

        /** Whether the type is serial, bigserial or smallserial. */
        public boolean serial() {
            String raw = typeTokens.isEmpty() ? "" : typeTokens.get(0).text().toLowerCase(Locale.ROOT);
            return typeTokens.size() == 1 && Set.of("serial", "bigserial", "smallserial", "serial2", "serial4", "serial8")
                    .contains(raw);
        }

        /** {@code GENERATED {ALWAYS | BY DEFAULT} AS IDENTITY}. */
        public boolean identity() {
            return hasWord(options, "GENERATED") && hasWord(options, "IDENTITY");
        }

        /** {@code GENERATED ALWAYS AS (expr) STORED}. */
        public boolean generatedStored() {
            return hasWord(options, "GENERATED") && !hasWord(options, "IDENTITY") && hasWord(options, "STORED");
        }

        /** {@code GENERATED ALWAYS AS (expr)} with neither STORED nor IDENTITY (PG18 virtual). */
        public boolean generatedVirtual() {
            return hasWord(options, "GENERATED") && !hasWord(options, "IDENTITY") && !hasWord(options, "STORED");
        }
    }

    /** Reads {@code name type [options]}; empty when the first token is not a column name. */
    public static Optional<ColumnDef> columnDef(List<Token> tokens) {
        if (tokens.isEmpty() || !isIdent(tokens.get(0))) {
            return Optional.empty();
        }
        int end = 1;
        int depth = 0;
        while (end < tokens.size()) {
            Token t = tokens.get(end);
            if (t.isSymbol("(") || t.isSymbol("[")) {
                depth++;
            } else if (t.isSymbol(")") || t.isSymbol("]")) {
                depth--;
            } else if (depth == 0 && COLUMN_OPTION_WORDS.contains(t)) {
                break;
            }
            end++;
        }
        return Optional.of(new ColumnDef(Identifiers.name(tokens.get(0)), tokens.subList(1, end),
                tokens.subList(end, tokens.size())));
    }

    // ---------------------------------------------------------------- constraints

    /**
     * A table constraint.
     *
     * @param name its name when given ({@code CONSTRAINT name}), else null
     * @param kind CHECK, UNIQUE, PRIMARY KEY, FOREIGN KEY or EXCLUDE
     * @param tokens the whole constraint as written, from CONSTRAINT or the kind word
     * @param body the tokens from the kind word on
     */
    public record TableConstraint(String name, String kind, List<Token> tokens, List<Token> body) {

        public boolean notValid() {
            return hasWords(body, "NOT", "VALID");
        }

        public boolean usingIndex() {
            return hasWords(body, "USING", "INDEX");
        }

        /** The column list right after UNIQUE / PRIMARY KEY / FOREIGN KEY. */
        public List<String> columns() {
            int open = kind.contains(" ") ? 2 : 1;
            if (kind.equals("UNIQUE") && at(body, 1, "NULLS")) {
                open = at(body, 2, "NOT") ? 4 : 3;
            }
            return nameList(body, open);
        }

        /** For CHECK: the parenthesised expression, with its parentheses. */
        public List<Token> checkExpression() {
            if (!kind.equals("CHECK") || body.size() < 2) {
                return List.of();
            }
            return body.subList(1, Math.min(body.size(), closing(body, 1) + 1));
        }

        /** For FOREIGN KEY: the referenced table. */
        public Optional<String> references() {
            int i = indexOfWord(body, 0, "REFERENCES");
            return i < 0 ? Optional.empty() : TableDdl.name(body, i + 1).map(Name::text);
        }
    }

    /** Reads a table constraint starting at the first token; empty if it is not one. */
    public static Optional<TableConstraint> tableConstraint(List<Token> tokens) {
        String name = null;
        int i = 0;
        if (at(tokens, 0, "CONSTRAINT")) {
            name = tokens.size() > 1 ? ident(tokens.get(1)) : null;
            i = 2;
        }
        String kind;
        if (at(tokens, i, "CHECK")) {
            kind = "CHECK";
        } else if (at(tokens, i, "UNIQUE")) {
            kind = "UNIQUE";
        } else if (at(tokens, i, "PRIMARY", "KEY")) {
            kind = "PRIMARY KEY";
        } else if (at(tokens, i, "FOREIGN", "KEY")) {
            kind = "FOREIGN KEY";
        } else if (at(tokens, i, "EXCLUDE")) {
            kind = "EXCLUDE";
        } else {
            return Optional.empty();
        }
        return Optional.of(new TableConstraint(name, kind, tokens, tokens.subList(i, tokens.size())));
    }

    /** The column of a {@code CHECK (c IS NOT NULL)} expression (parentheses included), if it is that. */
    public static Optional<String> notNullCheckColumn(List<Token> expression) {
        List<Token> e = expression;
        while (e.size() >= 2 && e.get(0).isSymbol("(") && closing(e, 0) == e.size() - 1) {
            e = e.subList(1, e.size() - 1);
        }
        if (e.size() == 4 && isIdent(e.get(0)) && e.get(1).isWord("IS") && e.get(2).isWord("NOT")
                && e.get(3).isWord("NULL")) {
            return Optional.of(Identifiers.name(e.get(0)));
        }
        return Optional.empty();
    }

    /** The first identifier in an expression that is not a keyword or a function name: a guess at its column. */
    public static Optional<String> firstColumn(List<Token> expression) {
        for (int i = 0; i < expression.size(); i++) {
            Token t = expression.get(i);
            boolean call = i + 1 < expression.size() && expression.get(i + 1).isSymbol("(");
            if (isIdent(t) && !call && !Set.of("IS", "NOT", "NULL", "AND", "OR", "IN", "BETWEEN", "TRUE", "FALSE",
                    "LIKE", "ILIKE", "ANY", "ALL", "CASE", "WHEN", "THEN", "ELSE", "END").contains(t.upper())) {
                return Optional.of(Identifiers.name(t));
            }
        }
        return Optional.empty();
    }

    // ---------------------------------------------------------------- types

    /**
     * A type name in a canonical spelling: lower case, aliases resolved ({@code int4} and
     * {@code integer} → {@code integer}, {@code character varying(20)} → {@code varchar(20)},
     * {@code timestamp with time zone} → {@code timestamptz}, {@code serial} → {@code integer}),
     * no spaces around parentheses, a leading {@code pg_catalog.} dropped.
     */
    public static String normaliseType(List<Token> typeTokens) {
        StringBuilder words = new StringBuilder();
        StringBuilder mods = new StringBuilder();
        StringBuilder array = new StringBuilder();
        int depth = 0;
        for (Token t : typeTokens) {
            if (t.isSymbol("[")) {
                depth++;
                array.append('[');
                continue;
            }
            if (t.isSymbol("]")) {
                depth--;
                array.append(']');
                continue;
            }
            if (depth > 0 && !array.isEmpty()) {
                continue;
            }
            if (t.isSymbol("(")) {
                depth++;
                mods.append('(');
            } else if (t.isSymbol(")")) {
                depth--;
                mods.append(')');
            } else if (depth > 0) {
                mods.append(t.isSymbol(",") ? "," : t.text().toLowerCase(Locale.ROOT));
            } else if (t.isWord("ARRAY")) {
                array.append("[]");
            } else if (t.isSymbol(".")) {
                words.append('.');
            } else {
                String w = isIdent(t) ? Identifiers.name(t) : t.text().toLowerCase(Locale.ROOT);
                if (!words.isEmpty() && words.charAt(words.length() - 1) != '.') {
                    words.append(' ');
                }
                words.append(w);
            }
        }
        String base = words.toString();
        if (base.startsWith("pg_catalog.")) {
            base = base.substring("pg_catalog.".length());
        }
        // "timestamp(3) with time zone": the precision sits inside the words
        String modText = mods.toString();
        base = switch (base) {
            case "character varying", "varchar" -> "varchar";
            case "character", "char", "bpchar" -> "char";
            case "int", "integer", "int4", "serial", "serial4" -> "integer";
            case "int8", "bigint", "bigserial", "serial8" -> "bigint";
            case "int2", "smallint", "smallserial", "serial2" -> "smallint";
            case "decimal", "numeric" -> "numeric";
            case "bool", "boolean" -> "boolean";
            case "float8", "double precision", "float" -> "double precision";
            case "float4", "real" -> "real";
            case "timestamptz", "timestamp with time zone" -> "timestamptz";
            case "timestamp", "timestamp without time zone" -> "timestamp";
            case "timetz", "time with time zone" -> "timetz";
            case "time", "time without time zone" -> "time";
            case "bit varying", "varbit" -> "varbit";
            default -> base;
        };
        return base + modText + array;
    }

    /** The type's base name, without modifiers and array brackets. */
    public static String baseType(String type) {
        int cut = type.length();
        for (int i = 0; i < type.length(); i++) {
            if (type.charAt(i) == '(' || type.charAt(i) == '[') {
                cut = i;
                break;
            }
        }
        return type.substring(0, cut);
    }

    /** The numeric modifiers of a normalised type ({@code numeric(10,2)} → [10, 2]); empty if none or not numbers. */
    public static List<Integer> typeModifiers(String type) {
        int open = type.indexOf('(');
        int close = type.indexOf(')');
        List<Integer> mods = new ArrayList<>();
        if (open < 0 || close < open) {
            return mods;
        }
        for (String part : type.substring(open + 1, close).split(",")) {
            try {
                mods.add(Integer.parseInt(part.trim()));
            } catch (NumberFormatException e) {
                return List.of();
            }
        }
        return mods;
    }

    /** Whether the type ends with array brackets. */
    public static boolean isArray(String type) {
        return type.endsWith("]");
    }
}
