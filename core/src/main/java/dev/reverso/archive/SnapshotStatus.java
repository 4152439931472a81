package dev.reverso.archive;

import java.time.Instant;
import java.util.List;

/**
 * A snapshot of the history, and whether its file can still be restored.
 *
 * @param file whether the file is there with the checksum recorded when it was taken
 */
public record SnapshotStatus(long id, Instant createdAt, String createdBy, String version, String scope, long bytes, String path,
                             List<String> tables, FileState file) {

    /** The dump file now. */
    public enum FileState {
        /** There, with the recorded checksum. */
        OK,
        /** Gone from its path. */
        MISSING,
        /** There, but its content is not what was written: it cannot be trusted. */
        CHANGED
    }
}
