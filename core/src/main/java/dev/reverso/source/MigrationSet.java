package dev.reverso.source;

import java.util.List;
import java.util.Optional;

/**
 * The migrations of a folder in version order, with the problems found while reading it.
 * Missing downs are listed among the problems but do not make the set unusable.
 */
public record MigrationSet(String location, List<Migration> migrations, List<SourceProblem> problems) {

    public MigrationSet {
        migrations = List.copyOf(migrations);
        problems = List.copyOf(problems);
    }

    /** The first problem that makes the folder unusable (anything but a missing down), if any. */
    public Optional<SourceProblem> firstBlockingProblem() {
        return problems.stream().filter(p -> p.type() != SourceProblem.Type.MISSING_DOWN).findFirst();
    }

    /** The migration with this version, if the folder has it. */
    public Optional<Migration> find(Version version) {
        return migrations.stream().filter(m -> m.version().equals(version)).findFirst();
    }
}
