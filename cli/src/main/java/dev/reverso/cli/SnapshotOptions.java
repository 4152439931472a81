package dev.reverso.cli;

import dev.reverso.archive.SnapshotRequest;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Where snapshots go and where pg_dump is: the options {@code snapshot} and {@code up --snapshot} share. */
final class SnapshotOptions {

    /** What a snapshot holds. */
    enum Scope { tables, all }

    @Option(names = "--snapshot-dir", paramLabel = "DIR", defaultValue = "reverso-snapshots",
            description = "the folder snapshot files go into, created when missing (default: ./${DEFAULT-VALUE})")
    Path dir;

    @Mixin
    PgBinOption pgBin;

    SnapshotRequest request(Scope scope) {
        return new SnapshotRequest(scope == Scope.all, dir, pgBin.tools());
    }
}
