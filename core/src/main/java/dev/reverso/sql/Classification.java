package dev.reverso.sql;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a statement does, as far as running it safely is concerned.
 *
 * @param command            normalised command tag in upper case, e.g. "ALTER TABLE" or
 *                           "CREATE INDEX CONCURRENTLY"
 * @param lock               the strongest table-level lock it takes on an existing relation
 *                           ({@link LockMode#NONE} if none)
 * @param lockCertain        false when {@code lock} is a guess, as for DO blocks, CALL and
 *                           statements the classifier does not know
 * @param locks              the relations the statement names and the lock it takes on each, in
 *                           the order written; a statement may also lock relations it does not
 *                           name (an index's table, a default partition), which only
 *                           {@code lock} accounts for
 * @param transactional      false exactly when PostgreSQL refuses to run it inside a
 *                           transaction block (SQLSTATE 25001)
 * @param transactionControl true for BEGIN, START TRANSACTION, COMMIT, END, ROLLBACK, ABORT,
 *                           SAVEPOINT, RELEASE and PREPARE TRANSACTION
 * @param change             the single object a CREATE or DROP of an index, table, view,
 *                           materialized view, sequence, schema, type, function or procedure
 *                           creates or drops
 * @param recognised         false when the classifier does not know the command at all (as
 *                           opposed to knowing it but having to guess its lock, as for DO)
 */
public record Classification(
        String command,
        LockMode lock,
        boolean lockCertain,
        List<RelationLock> locks,
        boolean transactional,
        boolean transactionControl,
        Optional<ObjectChange> change,
        boolean recognised) {

    public Classification {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(lock, "lock");
        locks = List.copyOf(locks);
        Objects.requireNonNull(change, "change");
    }

    /** The relations it locks, as written (unquoted, case-folded), without duplicates, in order. */
    public List<String> targets() {
        // A loop, not a stream: the linter's rules ask for it many times for every statement.
        if (locks.size() == 1) {
            return List.of(locks.get(0).relation());
        }
        List<String> relations = new ArrayList<>(locks.size());
        for (RelationLock lock : locks) {
            if (!relations.contains(lock.relation())) {
                relations.add(lock.relation());
            }
        }
        return Collections.unmodifiableList(relations);
    }
}
