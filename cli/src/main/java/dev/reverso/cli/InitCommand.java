package dev.reverso.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "init", description = "Create Reverso's schema (history, step journal, audit) in the target database.")
final class InitCommand implements Callable<Integer> {

    @ParentCommand
    ReversoCommand root;

    @Override
    public Integer call() {
        boolean created = root.reverso().init();
        Terminal t = root.terminal;
        if (root.format == Format.json) {
            new Json().print(t.out(), Map.of("schema", root.schema, "created", created));
        } else {
            t.out().println(created ? "created schema " + root.schema + " (history, steps, audit)"
                    : "schema " + root.schema + " is already there");
        }
        return ExitCode.DONE;
    }
}
