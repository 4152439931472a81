package dev.reverso.archive;

import java.nio.file.Path;

/**
 * What to snapshot and where to put it.
 *
 * @param all the whole database; otherwise the existing tables the pending migrations touch
 * @param dir the folder the dump files go into, created when missing
 * @param tools where pg_dump is
 */
public record SnapshotRequest(boolean all, Path dir, PgTools tools) {
}
