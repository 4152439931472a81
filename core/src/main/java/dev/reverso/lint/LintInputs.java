package dev.reverso.lint;

import dev.reverso.ReversoException;
import dev.reverso.source.FileName;
import dev.reverso.source.Migration;
import dev.reverso.source.MigrationFolder;
import dev.reverso.source.MigrationSet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What to lint, read from the command line's arguments: a migrations folder (its up scripts, in
 * version order, so each is linted against the schema the earlier ones leave) or files (in
 * version order when their names carry one, else as given).
 */
public final class LintInputs {

    private LintInputs() {
    }

    /**
     * Reads folders and files into sources.
     *
     * @throws ReversoException of kind BAD_INPUT naming a path that does not exist or cannot be read
     */
    public static List<Linter.Source> read(List<Path> paths) {
        List<Linter.Source> out = new ArrayList<>();
        for (Path path : paths) {
            if (Files.isDirectory(path)) {
                out.addAll(folder(path));
            } else {
                out.add(file(path));
            }
        }
        if (paths.size() > 1 || paths.stream().noneMatch(Files::isDirectory)) {
            out.sort(Comparator.comparing((Linter.Source s) -> versionOf(s.file()).orElse(null),
                    Comparator.nullsLast(Comparator.naturalOrder())));
        }
        return out;
    }

    private static List<Linter.Source> folder(Path dir) {
        MigrationSet set;
        try {
            set = new MigrationFolder(dir).read();
        } catch (IOException e) {
            throw new ReversoException(ReversoException.Kind.BAD_INPUT, "cannot read " + dir + ": " + e.getMessage());
        }
        set.firstBlockingProblem().ifPresent(p -> {
            throw new ReversoException(ReversoException.Kind.BAD_INPUT, dir.resolve(p.file()) + ": " + p.message());
        });
        List<Linter.Source> out = new ArrayList<>();
        for (Migration m : set.migrations()) {
            out.add(new Linter.Source(dir.resolve(m.upFile()).toString(), m.upSql()));
        }
        return out;
    }

    private static Linter.Source file(Path path) {
        try {
            return new Linter.Source(path.toString(), Files.readString(path, StandardCharsets.UTF_8));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ReversoException(ReversoException.Kind.BAD_INPUT, path + ": no such file or folder");
        } catch (IOException e) {
            throw new ReversoException(ReversoException.Kind.BAD_INPUT, path + ": cannot read: " + e.getMessage());
        }
    }

    private static Optional<dev.reverso.source.Version> versionOf(String file) {
        try {
            return FileName.parse(Path.of(file).getFileName().toString()).map(FileName::version);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
