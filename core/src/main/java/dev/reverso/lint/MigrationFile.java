package dev.reverso.lint;

import dev.reverso.engine.Step;

import java.util.List;

/**
 * One migration as the linter sees it, and as Reverso's runner would run it.
 *
 * @param file the file name, for findings
 * @param steps its statements, classified (an explicit BEGIN/COMMIT stays among them)
 * @param runsInTransaction whether Reverso runs it in one transaction: false when a statement
 *     cannot run in a transaction block or the file starts with {@code -- reverso:no-transaction},
 *     in which case every statement runs on its own in autocommit (a BEGIN ... COMMIT around the
 *     whole file is dropped by the runner)
 * @param explicitTransaction the file itself opens a transaction with BEGIN / START TRANSACTION
 */
public record MigrationFile(String file, List<Step> steps, boolean runsInTransaction, boolean explicitTransaction) {

    public MigrationFile {
        steps = List.copyOf(steps);
    }
}
