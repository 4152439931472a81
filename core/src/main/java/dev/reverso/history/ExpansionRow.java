package dev.reverso.history;

import java.time.Instant;
import java.util.List;

/**
 * One operation migration's row in {@code reverso.expansions}.
 *
 * @param phase start, started, complete, completed, rollback or rolled_back
 * @param done how many steps of the current phase are finished
 * @param backfillKey where the running backfill got to (its last key, as text), or null
 * @param backfillRows rows the running backfill has filled
 */
public record ExpansionRow(String version, String versionSchema, String previousSchema, String plan, String phase, int done,
                           List<String> backfillKey, long backfillRows, Instant updatedAt) {

    /** Whether a phase was under way (or the expansion is live) and so no other operation migration may start. */
    public boolean active() {
        return phase.equals("start") || phase.equals("started") || phase.equals("complete") || phase.equals("rollback");
    }
}
