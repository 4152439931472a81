package dev.reverso.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "latest", description = "Print the schema to put on the search_path for the newest version.")
final class LatestCommand implements Callable<Integer> {

    @ParentCommand
    ReversoCommand root;

    @Override
    public Integer call() {
        String schema = root.reverso().latest();
        if (root.format == Format.json) {
            new Json().print(root.terminal.out(), Map.of("schema", schema));
        } else {
            root.terminal.out().println(schema);
        }
        return ExitCode.DONE;
    }
}
