package dev.reverso.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Collects what the classifier learns about one statement. */
final class ClassificationBuilder {

    private String command;
    private LockMode lock = LockMode.NONE;
    private boolean lockCertain = true;
    private final List<RelationLock> locks = new ArrayList<>();
    private boolean transactional = true;
    private boolean transactionControl;
    private boolean recognised = true;
    private ObjectChange change;

    ClassificationBuilder(String command) {
        this.command = command;
    }

    ClassificationBuilder command(String newCommand) {
        this.command = newCommand;
        return this;
    }

    /** Records a lock on a named relation; the statement's lock becomes at least as strong. */
    ClassificationBuilder lock(QualifiedName relation, LockMode mode) {
        return lock(new RelationLock(relation.text(), mode));
    }

    private ClassificationBuilder lock(RelationLock added) {
        for (int i = 0; i < locks.size(); i++) {
            RelationLock known = locks.get(i);
            if (known.relation().equals(added.relation())) {
                locks.set(i, new RelationLock(known.relation(), known.mode().max(added.mode())));
                return atLeast(added.mode());
            }
        }
        locks.add(added);
        return atLeast(added.mode());
    }

    /** Raises the statement's lock, for a relation that is not named in the text. */
    ClassificationBuilder atLeast(LockMode mode) {
        lock = lock.max(mode);
        return this;
    }

    /** Raises the statement's lock to a guess and marks the lock as uncertain. */
    ClassificationBuilder guess(LockMode mode) {
        lockCertain = false;
        return atLeast(mode);
    }

    ClassificationBuilder nonTransactional() {
        transactional = false;
        return this;
    }

    ClassificationBuilder transactionControl() {
        transactionControl = true;
        return this;
    }

    ClassificationBuilder change(ObjectChange objectChange) {
        this.change = objectChange;
        return this;
    }

    /** Takes over the locks and transaction needs of a statement nested in this one. */
    ClassificationBuilder include(Classification nested) {
        return include(nested, Set.of());
    }

    /** Like {@link #include(Classification)}, leaving out names that are not relations, such as CTEs. */
    ClassificationBuilder include(Classification nested, Set<String> notRelations) {
        nested.locks().stream().filter(held -> !notRelations.contains(held.relation())).forEach(this::lock);
        lock = lock.max(nested.lock());
        lockCertain &= nested.lockCertain();
        transactional &= nested.transactional();
        return this;
    }

    /** Marks the command as one the classifier does not know. */
    ClassificationBuilder unrecognised() {
        this.recognised = false;
        return this;
    }

    Classification build() {
        return new Classification(command, lock, lockCertain, locks, transactional, transactionControl,
                Optional.ofNullable(change), recognised);
    }
}
