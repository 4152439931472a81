package dev.reverso.archive;

import java.nio.charset.StandardCharsets;

/**
 * Names of archive tables, made for a person looking by hand: {@code v<version>_<table>[_<column>]_<id>},
 * for example {@code v3_users_email_7}, cut to 62 bytes: a table's array type is named {@code _<table>}
 * cut to PostgreSQL's 63 bytes, so only a name of 62 bytes at most keeps its unique end in it too
 * (a table moved with SET SCHEMA takes its array type along, under its name, and two that met would
 * fail the move).
 *
 * <p>Every name is unique by construction: only the readable part is cut, never the suffix after
 * the last underscore, which is the entry's id (unique, from a sequence) for an archive table and
 * {@code <id>p<n>} for the n-th index or sequence moved along with it. A table's suffix is all
 * digits and a part's is not, so no part can take the name of an archive table (they share one
 * namespace, with the tables' row types), and no two of either kind can meet, however long or
 * alike the names they were made from.
 */
final class ArchiveNames {

    private static final int MAX_BYTES = 62;

    private ArchiveNames() {
    }

    static String of(String version, String table, String column, long id) {
        return withSuffix("v" + version + "_" + table + (column == null ? "" : "_" + column), String.valueOf(id));
    }

    /** The name of the n-th index or sequence moved along with an archived table. */
    static String part(String archive, int n) {
        int last = archive.lastIndexOf('_');
        String readable = last < 0 ? archive : archive.substring(0, last);
        String id = last < 0 ? "" : archive.substring(last + 1);
        return withSuffix(readable, id + "p" + n);
    }

    private static String withSuffix(String readable, String suffix) {
        String tail = "_" + suffix;
        return cut(readable, MAX_BYTES - tail.getBytes(StandardCharsets.UTF_8).length) + tail;
    }

    private static String cut(String name, int maxBytes) {
        return dev.reverso.sql.Identifiers.prefix(name, maxBytes);
    }
}
