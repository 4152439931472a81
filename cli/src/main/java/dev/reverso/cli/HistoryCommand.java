package dev.reverso.cli;

import dev.reverso.history.AuditEntry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "history", description = "Show the audit trail: who ran what, when, and the outcome (newest first).")
final class HistoryCommand implements Callable<Integer> {

    @ParentCommand
    ReversoCommand root;

    @Option(names = "--limit", defaultValue = "50", description = "how many entries (default: ${DEFAULT-VALUE})")
    int limit;

    @Override
    public Integer call() {
        List<AuditEntry> entries = root.reverso().history(limit);
        Terminal t = root.terminal;
        if (root.format == Format.json) {
            new Json().print(t.out(), entries);
            return ExitCode.DONE;
        }
        Table table = new Table("AT", "ACTOR", "DB USER", "ACTION", "VERSION", "OUTCOME", "DETAIL");
        for (AuditEntry e : entries) {
            table.row(e.at(), e.actor(), e.dbUser(), e.action(), e.version(), e.outcome(), e.detail());
        }
        if (table.isEmpty()) {
            t.out().println("no history yet");
        } else {
            table.print(t.out());
        }
        return ExitCode.DONE;
    }
}
