package dev.reverso.archive;

import java.util.List;

/**
 * A snapshot just taken.
 *
 * @param id its number in {@code reverso.snapshots}
 * @param version the migration it was taken before, or null for a manual one
 * @param scope {@code tables} or {@code database}
 * @param path the dump file, absolute
 * @param bytes the file's size
 * @param sha256 the file's SHA-256 in hex
 * @param tables the tables in it, schema-qualified and quoted as needed
 * @param durationMs how long pg_dump and the checksum took
 */
public record Snapshot(long id, String version, String scope, String path, long bytes, String sha256, List<String> tables,
                       long durationMs) {
}
