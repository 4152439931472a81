package dev.reverso.cli;

import dev.reverso.archive.PgTools;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --pg-bin}: where pg_dump and pg_restore are, for the commands that run them. */
final class PgBinOption {

    @Option(names = "--pg-bin", paramLabel = "DIR", defaultValue = "${env:REVERSO_PG_BIN}",
            description = "the folder of pg_dump and pg_restore, and the only place looked at (default: $REVERSO_PG_BIN;"
                    + " without it /usr/lib/postgresql/<server major>/bin, then the PATH)")
    Path pgBin;

    PgTools tools() {
        PgTools tools = PgTools.fromEnvironment();
        return pgBin == null || pgBin.toString().isBlank() ? tools : tools.withBin(pgBin);
    }
}
