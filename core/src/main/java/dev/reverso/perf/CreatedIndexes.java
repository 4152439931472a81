package dev.reverso.perf;

import dev.reverso.engine.Script;
import dev.reverso.engine.Step;
import dev.reverso.history.HistoryRow;
import dev.reverso.sql.Classifier;
import dev.reverso.sql.ObjectChange;
import dev.reverso.sql.ObjectKind;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Which applied SQL migration created an index, from its stored up SQL as classified. */
public final class CreatedIndexes {

    private CreatedIndexes() {
    }

    /**
     * Index name to the version of the migration that created it, for the SQL migrations in effect
     * that started at or after {@code since}. Names only: an unqualified CREATE INDEX does not say
     * its schema.
     */
    public static Map<String, String> since(Collection<HistoryRow> rows, Instant since, Classifier classifier) {
        Map<String, String> created = new HashMap<>();
        for (HistoryRow row : rows) {
            if (!row.state().inEffect() || !row.kind().equals("sql") || row.startedAt().isBefore(since)) {
                continue;
            }
            for (Step step : Script.parse("stored up of " + row.version(), row.upSql(), true, classifier).steps()) {
                Optional<ObjectChange> change = step.classification().change();
                if (change.isPresent() && change.get().action() == ObjectChange.Action.CREATE
                        && change.get().kind() == ObjectKind.INDEX) {
                    created.put(change.get().name(), row.version());
                }
            }
        }
        return created;
    }
}
