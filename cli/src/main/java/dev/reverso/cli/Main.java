package dev.reverso.cli;

import dev.reverso.ReversoException;
import picocli.CommandLine;

import java.util.Map;

/** The {@code reverso} program: runs one command and exits with its code. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(Terminal.system(), args));
    }

    /** Runs a command line and returns its exit code; nothing here exits the JVM. */
    static int run(Terminal terminal, String... args) {
        return run(terminal, null, args);
    }

    /** Runs a command line against a target given as a parsed URL (the demo's), instead of --url. */
    static int run(Terminal terminal, dev.reverso.DatabaseUrl target, String... args) {
        ReversoCommand root = new ReversoCommand();
        root.terminal = terminal;
        root.target = target;
        CommandLine cli = new CommandLine(root);
        cli.setOut(new java.io.PrintWriter(terminal.out(), true));
        cli.setErr(new java.io.PrintWriter(terminal.err(), true));
        try {
            ConfigFile config = ConfigFile.find(args);
            config.check(cli);
            cli.setDefaultValueProvider(config);
            root.config = config;
        } catch (ReversoException e) {
            terminal.err().println("reverso: " + terminal.red(e.getMessage()));
            return ExitCode.of(e.kind());
        }
        cli.setParameterExceptionHandler((e, a) -> {
            terminal.err().println("reverso: " + e.getMessage() + " (see reverso " + commandName(e.getCommandLine()) + " --help)");
            return ExitCode.BAD_INPUT;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof ReversoException r) {
                int code = ExitCode.of(r.kind());
                terminal.err().println("reverso: " + terminal.red(r.getMessage()));
                if (root.format == Format.json) {
                    new Json().print(terminal.out(), Map.of("error", r.getMessage(), "kind", r.kind(), "exit", code));
                }
                return code;
            }
            throw e;
        });
        return cli.execute(args);
    }

    private static String commandName(CommandLine cl) {
        String name = cl.getCommandName();
        return name.equals("reverso") ? "" : name;
    }
}
