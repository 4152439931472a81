package dev.reverso.cli;

import dev.reverso.archive.ArchiveEntry;
import dev.reverso.source.Version;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "archive", subcommands = {ArchiveCommand.ListCommand.class, ArchiveCommand.PurgeCommand.class},
        description = "The data destructive migrations preserved in schema <schema>_archive (reverso_archive by default).")
final class ArchiveCommand implements Callable<Integer> {

    @ParentCommand
    ReversoCommand root;

    @Override
    public Integer call() {
        return new ListCommand().list(root);
    }

    @Command(name = "list", description = "What is preserved, for which migration and step, how many rows, its size on disk,"
            + " and whether a rollback has put it back.")
    static final class ListCommand implements Callable<Integer> {

        @ParentCommand
        ArchiveCommand parent;

        @Override
        public Integer call() {
            return list(parent.root);
        }

        int list(ReversoCommand root) {
            List<ArchiveEntry> all = root.reverso().archive();
            Terminal t = root.terminal;
            if (root.format == Format.json) {
                new Json().print(t.out(), all);
                return ExitCode.DONE;
            }
            if (all.isEmpty()) {
                t.out().println("the archive is empty: no applied migration has destroyed data yet");
                return ExitCode.DONE;
            }
            Table table = new Table("ID", "VERSION", "STEP", "KIND", "SOURCE", "ROWS", "SIZE", "ARCHIVED AT", "ARCHIVE TABLE", "RESTORED");
            for (ArchiveEntry e : all) {
                table.row(e.id(), e.version(), e.step(), e.kind().dbValue(), e.source(), e.rows(), SnapshotCommand.size(e.bytes()),
                        e.createdAt(), e.archiveTable() == null ? "-" : e.archiveTable(),
                        e.restoredAt() == null ? "no" : e.restoredAt() + ": " + e.restoreNote());
            }
            table.print(t.out());
            return ExitCode.DONE;
        }
    }

    @Command(name = "purge", description = "Drop archived data for good: one migration's, or all archived longer ago than"
            + " DURATION. A rollback of an applied migration whose archive is purged can no longer bring its data back.")
    static final class PurgeCommand implements Callable<Integer> {

        @ParentCommand
        ArchiveCommand parent;

        @Option(names = "--older-than", paramLabel = "DURATION", converter = DurationConverter.class,
                description = "archived longer ago than this (e.g. 30d, 48h)")
        Duration olderThan;

        @Option(names = "--migration", paramLabel = "VERSION", converter = VersionConverter.class,
                description = "archived by this migration")
        Version migration;

        @Override
        public Integer call() {
            ReversoCommand root = parent.root;
            List<ArchiveEntry> purged = root.reverso().purgeArchive(Optional.ofNullable(olderThan), Optional.ofNullable(migration));
            Terminal t = root.terminal;
            if (root.format == Format.json) {
                new Json().print(t.out(), purged);
            } else {
                t.out().println(purged.isEmpty() ? "nothing to purge"
                        : "purged " + purged.size() + " archive entr" + (purged.size() == 1 ? "y" : "ies") + " ("
                        + purged.stream().mapToLong(ArchiveEntry::rows).sum() + " rows)");
            }
            return ExitCode.DONE;
        }
    }
}
