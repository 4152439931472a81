package dev.reverso.engine;

import dev.reverso.catalog.Catalog;
import dev.reverso.sql.ObjectChange;
import dev.reverso.sql.ObjectKind;

import java.sql.SQLException;
import java.util.Optional;

/**
 * Whether a step's effect on the catalog can be seen in the live database: an object it creates
 * exists (an index must also be valid), an object it drops is gone. Only single-object CREATE and
 * DROP statements can be checked; for anything else the answer is unknown.
 */
public final class Effect {

    /** What the catalog says about a step's effect. */
    public enum Seen { HOLDS, ABSENT, INVALID_INDEX, UNKNOWN }

    private final Catalog catalog;

    public Effect(Catalog catalog) {
        this.catalog = catalog;
    }

    /** Whether the step's effect holds now. */
    public Seen of(Step step) throws SQLException {
        Optional<ObjectChange> change = step.classification().change();
        if (change.isEmpty()) {
            return Seen.UNKNOWN;
        }
        ObjectChange ch = change.get();
        boolean creates = ch.action() == ObjectChange.Action.CREATE;
        if (ch.kind() == ObjectKind.INDEX) {
            Catalog.IndexState state = catalog.index(ch.schema(), ch.name());
            if (state == Catalog.IndexState.INVALID) {
                return Seen.INVALID_INDEX;
            }
            return (state == Catalog.IndexState.VALID) == creates ? Seen.HOLDS : Seen.ABSENT;
        }
        Optional<Boolean> exists = exists(ch);
        if (exists.isEmpty()) {
            return Seen.UNKNOWN;
        }
        return exists.get() == creates ? Seen.HOLDS : Seen.ABSENT;
    }

    /** One line naming the object the step creates or drops, such as {@code index users_email_idx}. */
    public static String object(Step step) {
        return step.classification().change()
                .map(ch -> ch.kind().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ') + " "
                        + (ch.schema() == null ? "" : ch.schema() + ".") + ch.name())
                .orElse(step.summary());
    }

    private Optional<Boolean> exists(ObjectChange ch) throws SQLException {
        return switch (ch.kind()) {
            case TABLE, VIEW, MATERIALIZED_VIEW, SEQUENCE -> Optional.of(catalog.relationExists(ch.schema(), ch.name()));
            case SCHEMA -> Optional.of(catalog.schemaExists(ch.name()));
            case TYPE -> Optional.of(catalog.typeExists(ch.schema(), ch.name()));
            case FUNCTION, PROCEDURE -> Optional.of(catalog.functionExists(ch.schema(), ch.name()));
            default -> Optional.empty();
        };
    }
}
