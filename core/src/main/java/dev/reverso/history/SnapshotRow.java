package dev.reverso.history;

import java.time.Instant;

/**
 * One row of {@code reverso.snapshots}: a pg_dump file Reverso made and where it put it.
 *
 * @param id the snapshot's number, which {@code restore --snapshot} takes
 * @param version the migration the snapshot was taken before ({@code up --snapshot}), or null for a manual one
 * @param scope {@code tables} (the tables the pending migrations touch) or {@code database} (all of it)
 * @param path the dump file, as an absolute path
 * @param bytes the file's size when it was written
 * @param sha256 the file's SHA-256 when it was written, in hex
 * @param createdBy who took it, as {@code os-user@host}
 * @param detail the tables dumped, comma-separated (for a database snapshot: the server version)
 */
public record SnapshotRow(long id, String version, String scope, String path, long bytes, String sha256,
                          Instant createdAt, String createdBy, String detail) {
}
