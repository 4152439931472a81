package dev.reverso.cli;

import dev.reverso.archive.Snapshot;
import dev.reverso.archive.SnapshotStatus;
import dev.reverso.catalog.TableSize;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "snapshot", subcommands = SnapshotCommand.ListCommand.class, description = {
    "pg_dump (custom format) of the existing tables the pending migrations touch, or with --all of the whole database,",
    "recorded in the history with its path, size and SHA-256. Needs pg_dump of the server's version or later."})
final class SnapshotCommand implements Callable<Integer> {

    static final String NOTHING = "no snapshot taken: the pending SQL migrations touch no existing table (use --all for the whole database)";

    @ParentCommand
    ReversoCommand root;

    @Option(names = "--all", description = "the whole database, not only the tables the pending migrations touch")
    boolean all;

    @Mixin
    SnapshotOptions options;

    @Override
    public Integer call() {
        Optional<Snapshot> taken = root.reverso().snapshot(options.request(all ? SnapshotOptions.Scope.all : SnapshotOptions.Scope.tables));
        Terminal t = root.terminal;
        if (root.format == Format.json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("snapshot", taken.orElse(null));
            taken.ifPresentOrElse(s -> { }, () -> out.put("note", NOTHING));
            new Json().print(t.out(), out);
        } else {
            t.out().println(taken.map(s -> describe(t, s)).orElse(NOTHING));
        }
        return ExitCode.DONE;
    }

    /** "snapshot 3 taken: /path (12 kB, 2 tables: a, b) in 80 ms". */
    static String describe(Terminal t, Snapshot s) {
        return t.green("snapshot " + s.id() + " taken") + ": " + s.path() + " (" + size(s.bytes()) + ", "
                + (s.scope().equals("database") ? "the whole database, " + s.tables().size() + " tables"
                : s.tables().size() + " table" + (s.tables().size() == 1 ? "" : "s") + ": " + String.join(", ", s.tables()))
                + ") in " + s.durationMs() + " ms";
    }

    static String size(long bytes) {
        return new TableSize("", bytes, -1).prettyBytes();
    }

    @Command(name = "list", description = "Every snapshot taken: id, when, version, scope, size, whether its file is still there"
            + " with the checksum it had, and its path.")
    static final class ListCommand implements Callable<Integer> {

        @ParentCommand
        SnapshotCommand parent;

        @Override
        public Integer call() {
            ReversoCommand root = parent.root;
            List<SnapshotStatus> all = root.reverso().snapshots();
            Terminal t = root.terminal;
            if (root.format == Format.json) {
                new Json().print(t.out(), all);
                return ExitCode.DONE;
            }
            if (all.isEmpty()) {
                t.out().println("no snapshots yet (take one with reverso snapshot, or reverso up --snapshot)");
                return ExitCode.DONE;
            }
            Table table = new Table("ID", "TAKEN", "VERSION", "SCOPE", "SIZE", "FILE", "PATH");
            for (SnapshotStatus s : all) {
                String file = switch (s.file()) {
                    case OK -> "ok";
                    case MISSING -> t.red("missing");
                    case CHANGED -> t.red("CHANGED (checksum differs)");
                };
                table.row(s.id(), s.createdAt(), s.version() == null ? "manual" : s.version(),
                        s.scope().equals("tables") ? s.tables().size() + " table" + (s.tables().size() == 1 ? "" : "s") : "database",
                        size(s.bytes()), file, s.path());
            }
            table.print(t.out());
            return ExitCode.DONE;
        }
    }
}
