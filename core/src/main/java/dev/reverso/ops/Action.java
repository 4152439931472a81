package dev.reverso.ops;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.util.List;
import java.util.Map;

/**
 * One step of a planned phase. A plan is made once, when {@code start} first runs, and stored with
 * the migration, so that a start resumed after a crash, a complete or a rollback run exactly what
 * was planned against the schema of that moment.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "do")
@JsonSubTypes({
    @JsonSubTypes.Type(value = Action.Sql.class, name = "sql"),
    @JsonSubTypes.Type(value = Action.Backfill.class, name = "backfill")
})
public sealed interface Action {

    /** What the step does, for progress lines and the journal. */
    String what();

    /**
     * Statements run together: in one transaction when all of them can be, under lock_timeout with
     * retry when their locks would block the application; otherwise (CONCURRENTLY) one by one.
     *
     * @param cleanup run before this step is tried again after an interruption (drops the
     *                invalid index an interrupted concurrent build leaves), or null
     */
    record Sql(String what, List<String> statements, String cleanup) implements Action {
        public Sql {
            statements = List.copyOf(statements);
        }
    }

    /**
     * Fills new columns of existing rows, in batches walked by key, each batch its own short
     * transaction with the progress saved in it.
     *
     * @param table the qualified table
     * @param key the columns batches are walked by
     * @param keyTypes their types, to read a saved position back
     * @param set physical column to the expression that fills it
     */
    record Backfill(String what, String table, List<String> key, List<String> keyTypes, Map<String, String> set)
            implements Action {
    }
}
