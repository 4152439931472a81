package dev.reverso.cli;

import dev.reverso.DatabaseUrl;
import dev.reverso.ReversoException;
import dev.reverso.SchemaDiff;
import dev.reverso.catalog.SchemaSnapshot;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

@Command(name = "diff", description = {"Compare the schema of --url with another database's: tables, columns, defaults,",
    "constraints, indexes, views, functions, triggers, sequences, enums, extensions. Exit 1 when they differ."})
final class DiffCommand implements Callable<Integer> {

    @ParentCommand
    ReversoCommand root;

    @Option(names = "--against", required = true, paramLabel = "URL", description = "the database to compare with")
    String against;

    @Override
    public Integer call() {
        DatabaseUrl other;
        try {
            other = DatabaseUrl.parse(against);
        } catch (IllegalArgumentException e) {
            throw new ReversoException(ReversoException.Kind.BAD_INPUT, "--against: " + e.getMessage());
        }
        SchemaDiff diff = root.reverso().diff(other);
        Terminal t = root.terminal;
        if (root.format == Format.json) {
            new Json().print(t.out(), diff);
        } else if (diff.same()) {
            t.out().println(t.green("same schema") + ": " + diff.objects() + " objects in " + diff.a() + " and " + diff.b());
        } else {
            for (SchemaSnapshot.Difference d : diff.differences()) {
                t.out().println(d.describe("A", "B"));
            }
            t.out().println();
            t.out().println(t.red(diff.differences().size() + " difference" + (diff.differences().size() == 1 ? "" : "s"))
                    + " between A = " + diff.a() + " and B = " + diff.b());
        }
        return diff.same() ? ExitCode.DONE : ExitCode.CHECK_FAILED;
    }
}
