package dev.reverso.cli;

import dev.reverso.DatabaseUrl;
import dev.reverso.archive.RestoreReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

@Command(name = "restore", description = {"Restore a snapshot into another database with pg_restore (no owners, no grants,",
    "one transaction). Refuses the live database, a file whose checksum changed, and a target that already has",
    "the snapshot's tables (unless --clean). Exit 2 on a refusal, 3 when pg_restore fails (the target is left as it was)."})
final class RestoreCommand implements Callable<Integer> {

    @ParentCommand
    ReversoCommand root;

    @Option(names = "--snapshot", required = true, paramLabel = "ID", description = "the snapshot's id (see reverso snapshot list)")
    long id;

    @Option(names = "--into", required = true, paramLabel = "URL", description = "the database to restore into; never the live one")
    String into;

    @Option(names = "--clean", description = "drop the snapshot's tables in the target first, when it has them")
    boolean clean;

    @Mixin
    PgBinOption pgBin;

    @Override
    public Integer call() {
        RestoreReport report = root.reverso().restore(id, DatabaseUrl.parse(into), clean, pgBin.tools());
        Terminal t = root.terminal;
        if (root.format == Format.json) {
            new Json().print(t.out(), report);
            return ExitCode.DONE;
        }
        t.out().println(t.green("restored") + " snapshot " + report.snapshot() + " into " + report.target() + ": "
                + report.tables().size() + " table" + (report.tables().size() == 1 ? "" : "s") + ", "
                + String.format(java.util.Locale.ROOT, "%,d", report.rows()) + " rows in " + report.durationMs() + " ms");
        Table table = new Table("TABLE", "ROWS");
        report.tables().forEach(r -> table.row(r.table(), r.rows()));
        table.print(t.out());
        return ExitCode.DONE;
    }
}
