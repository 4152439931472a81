package dev.reverso.archive;

import java.nio.charset.StandardCharsets;

/**
 * Names of archive tables, made for a person looking by hand: {@code v<version>_<table>[_<column>]_<id>},
 * for example {@code v3_users_email_7}, cut to PostgreSQL's 63 bytes.
 */
final class ArchiveNames {

    private static final int MAX_BYTES = 63;

    private ArchiveNames() {
    }

    static String of(String version, String table, String column, long id) {
        String suffix = "_" + id;
        String name = "v" + version + "_" + table + (column == null ? "" : "_" + column);
        return cut(name, MAX_BYTES - suffix.length()) + suffix;
    }

    /** The name of the n-th index or sequence moved along with an archived table. */
    static String part(String archive, int n) {
        String suffix = "_" + n;
        return cut(archive, MAX_BYTES - suffix.length()) + suffix;
    }

    private static String cut(String name, int maxBytes) {
        String cut = name;
        while (cut.getBytes(StandardCharsets.UTF_8).length > maxBytes) {
            cut = cut.substring(0, cut.length() - 1);
        }
        return cut;
    }
}
