package dev.reverso.sql;

import java.util.Locale;
import java.util.Set;

/** PostgreSQL identifier rules: quoting names for SQL text, and reading names from tokens. */
public final class Identifiers {

    /**
     * Every keyword that is not UNRESERVED_KEYWORD (the reserved, type_func_name and col_name
     * keywords), which {@code quote_ident} quotes. It is the union over PostgreSQL 12 to 17, so
     * a name quoted here stays valid on every supported server; on an older server that makes a
     * few names (such as {@code json}) quoted that need not be.
     */
    private static final Set<String> NON_UNRESERVED_KEYWORDS = Set.of(
            "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric",
            "authorization", "between", "bigint", "binary", "bit", "boolean", "both", "case", "cast",
            "char", "character", "check", "coalesce", "collate", "collation", "column", "concurrently",
            "constraint", "create", "cross", "current_catalog", "current_date", "current_role",
            "current_schema", "current_time", "current_timestamp", "current_user", "dec", "decimal",
            "default", "deferrable", "desc", "distinct", "do", "else", "end", "except", "exists",
            "extract", "false", "fetch", "float", "for", "foreign", "freeze", "from", "full", "grant",
            "greatest", "group", "grouping", "having", "ilike", "in", "initially", "inner", "inout",
            "int", "integer", "intersect", "interval", "into", "is", "isnull", "join", "json",
            "json_array", "json_arrayagg", "json_exists", "json_object", "json_objectagg", "json_query",
            "json_scalar", "json_serialize", "json_table", "json_value", "lateral", "leading", "least",
            "left", "like", "limit", "localtime", "localtimestamp", "merge_action", "national",
            "natural", "nchar", "none", "normalize", "not", "notnull", "null", "nullif", "numeric",
            "offset", "on", "only", "or", "order", "out", "outer", "overlaps", "overlay", "placing",
            "position", "precision", "primary", "real", "references", "returning", "right", "row",
            "select", "session_user", "setof", "similar", "smallint", "some", "substring",
            "symmetric", "system_user", "table", "tablesample", "then", "time", "timestamp", "to",
            "trailing", "treat", "trim", "true", "union", "unique", "user", "using", "values",
            "varchar", "variadic", "verbose", "when", "where", "window", "with", "xmlattributes",
            "xmlconcat", "xmlelement", "xmlexists", "xmlforest", "xmlnamespaces", "xmlparse", "xmlpi",
            "xmlroot", "xmlserialize", "xmltable");

    private Identifiers() {
    }

    /**
     * Quotes a name for use in SQL text, following {@code quote_ident}: the name is returned
     * bare when it is lower-case letters, digits and underscores, does not start with a digit
     * and is not a keyword that needs quoting; otherwise it is double-quoted with embedded
     * double quotes doubled.
     */
    public static String quote(String name) {
        if (isSafeBare(name)) {
            return name;
        }
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /** {@code schema.name}, each part quoted as needed; just the name when schema is null or empty. */
    public static String qualified(String schema, String name) {
        if (schema == null || schema.isEmpty()) {
            return quote(name);
        }
        return quote(schema) + '.' + quote(name);
    }

    /** NAMEDATALEN - 1: the server keeps the first 63 bytes of a longer name. */
    private static final int MAX_NAME_BYTES = 63;

    /**
     * The name a {@link TokenType#WORD} or {@link TokenType#QUOTED_IDENT} token stands for, as
     * PostgreSQL stores it: unquoted names are folded to lower case (ASCII letters only, like
     * the server), quoted names keep their case with {@code ""} unescaped, and
     * {@code U&"..."} names have their {@code \XXXX} and {@code \+XXXXXX} escapes decoded (with
     * the character of a {@code UESCAPE 'c'} clause, part of the token, instead of the backslash).
     * A name longer than 63 bytes is kept whole (the linter says it is too long); {@link #stored}
     * cuts it as the server does.
     *
     * @throws IllegalArgumentException for any other kind of token
     */
    public static String name(Token token) {
        String text = token.text();
        return switch (token.type()) {
            case WORD -> foldAscii(text);
            case QUOTED_IDENT -> text.startsWith("\"") ? unquote(text) : unicode(text);
            default -> throw new IllegalArgumentException("not an identifier: " + text);
        };
    }

    /**
     * The name under which the server stores what the token names: {@link #name}, cut to 63
     * bytes (on a character boundary, in UTF-8) as the server cuts a longer one, so that it
     * matches the name in the catalog. What looks objects up in the catalog reads names with it.
     */
    public static String stored(Token token) {
        return truncate(name(token));
    }

    /** The name as the server keeps it: its first 63 bytes in UTF-8, without splitting a character. */
    public static String truncate(String name) {
        // At most three UTF-8 bytes per UTF-16 char: most names need no counting.
        return name.length() * 3 <= MAX_NAME_BYTES ? name : prefix(name, MAX_NAME_BYTES);
    }

    /** The longest prefix of {@code name} of at most {@code maxBytes} in UTF-8, cut between two characters. */
    public static String prefix(String name, int maxBytes) {
        int bytes = 0;
        int i = 0;
        while (i < name.length()) {
            int cp = name.codePointAt(i);
            int size = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + size > maxBytes) {
                break;
            }
            bytes += size;
            i += Character.charCount(cp);
        }
        return name.substring(0, i);
    }

    /** {@code U&"..."}, with or without {@code UESCAPE 'c'} after it. */
    private static String unicode(String text) {
        int close = 3;
        while (close < text.length()) {
            if (text.charAt(close) == '"') {
                if (close + 1 < text.length() && text.charAt(close + 1) == '"') {
                    close += 2;
                    continue;
                }
                break;
            }
            close++;
        }
        String quoted = text.substring(2, Math.min(close + 1, text.length()));
        String rest = text.substring(Math.min(close + 1, text.length()));
        int q = rest.indexOf('\'');
        char escape = q >= 0 && q + 1 < rest.length() ? rest.charAt(q + 1) : '\\';
        return decodeUnicodeEscapes(unquote(quoted), escape);
    }

    private static boolean isSafeBare(String name) {
        if (name.isEmpty() || Character.isDigit(name.charAt(0))) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
                return false;
            }
        }
        return !NON_UNRESERVED_KEYWORDS.contains(name);
    }

    private static String foldAscii(String text) {
        // Most names are written in lower case already: no copy for them.
        int first = 0;
        while (first < text.length() && !(text.charAt(first) >= 'A' && text.charAt(first) <= 'Z')) {
            first++;
        }
        if (first == text.length()) {
            return text;
        }
        StringBuilder folded = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            folded.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
        }
        return folded.toString();
    }

    private static String unquote(String quoted) {
        return quoted.substring(1, quoted.length() - 1).replace("\"\"", "\"");
    }

    private static String decodeUnicodeEscapes(String text, char escape) {
        StringBuilder decoded = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != escape || i + 1 >= text.length()) {
                decoded.append(c);
                i++;
            } else if (text.charAt(i + 1) == escape) {
                decoded.append(escape);
                i += 2;
            } else {
                int digits = text.charAt(i + 1) == '+' ? 6 : 4;
                int from = text.charAt(i + 1) == '+' ? i + 2 : i + 1;
                int to = Math.min(text.length(), from + digits);
                try {
                    decoded.appendCodePoint(Integer.parseInt(text.substring(from, to).toLowerCase(Locale.ROOT), 16));
                    i = to;
                } catch (IllegalArgumentException notAnEscape) {
                    // The server rejects it; a reading keeps the text as written.
                    decoded.append(c);
                    i++;
                }
            }
        }
        return decoded.toString();
    }
}
