package dev.reverso.cli;

import dev.reverso.PreflightReport;
import dev.reverso.source.Version;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "preflight", description = {"Check before a run: the privileges the pending statements need, blocking sessions"
    + " on the tables they touch,",
    "idle transactions, connection headroom, replication lag, leftovers, a dirty migration, missing downs, table sizes.",
    "Read only. Exit 1 on a fail."})
final class PreflightCommand implements Callable<Integer> {

    @ParentCommand
    ReversoCommand root;

    @Option(names = "--to", paramLabel = "VERSION", converter = VersionConverter.class, description = "check the pending migrations up to this version")
    Version to;

    @Override
    public Integer call() {
        PreflightReport report = root.reverso().preflight(Optional.ofNullable(to));
        Terminal t = root.terminal;
        if (root.format == Format.json) {
            new Json().print(t.out(), report);
        } else {
            Table table = new Table("STATUS", "CHECK", "DETAIL");
            for (PreflightReport.Item i : report.items()) {
                String status = switch (i.status()) {
                    case PASS -> t.green("pass");
                    case WARN -> t.yellow("warn");
                    case FAIL -> t.red("FAIL");
                };
                table.row(status, i.check(), i.detail());
            }
            table.print(t.out());
        }
        return report.failed() ? ExitCode.CHECK_FAILED : ExitCode.DONE;
    }
}
