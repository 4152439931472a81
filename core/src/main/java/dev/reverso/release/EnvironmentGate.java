package dev.reverso.release;

import dev.reverso.history.HistoryRow;
import dev.reverso.history.MigrationState;
import dev.reverso.source.Migration;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The environment order, enforced: before a run in one environment, each pending migration must
 * have been applied by the previous environment, with the same checksum, at least the soak time
 * ago. The first environment has no predecessor and always passes. Reads the previous
 * environment only.
 */
public final class EnvironmentGate {

    private final Environments environments;
    private final String schema;
    private final String applicationName;

    public EnvironmentGate(Environments environments, String schema, String applicationName) {
        this.environments = environments;
        this.schema = schema;
        this.applicationName = applicationName;
    }

    /**
     * The verdict for running the pending migrations in the target environment.
     *
     * @throws dev.reverso.ReversoException BAD_INPUT when the target is not a configured environment
     */
    public Verdict check(String target, List<Migration> pending) {
        Optional<Environment> previous = environments.previous(target);
        if (previous.isEmpty() || pending.isEmpty()) {
            return new Verdict(target, previous.map(Environment::name).orElse(null), List.of());
        }
        String before = previous.get().name();
        EnvironmentHistory history = EnvironmentHistory.read(previous.get(), environments.variables(), schema, applicationName);
        if (!history.reachable()) {
            return new Verdict(target, before, List.of(before + " is unreachable, so no migration can be shown to have passed"
                    + " it: " + history.unreachable()));
        }
        Duration soak = environments.soakOf(target);
        List<String> refusals = new ArrayList<>();
        for (Migration m : pending) {
            String label = m.version() + "_" + m.name();
            HistoryRow row = history.rows().get(m.version().toString());
            if (row == null || !row.state().inEffect() || row.state() == MigrationState.STARTED) {
                refusals.add(label + ": " + before + " has not applied it" + (row == null ? "" : " (it is "
                        + row.state().dbValue().replace('_', ' ') + " there)"));
            } else if (!row.checksum().equals(m.checksum())) {
                refusals.add(label + ": " + before + " applied it with another checksum (the file changed since)");
            } else if (!soak.isZero() && row.finishedAt() != null
                    && Duration.between(row.finishedAt(), history.now()).compareTo(soak) < 0) {
                Duration age = Duration.between(row.finishedAt(), history.now());
                refusals.add(label + ": " + before + " applied it " + Durations.text(age) + " ago, less than the soak of "
                        + Durations.text(soak));
            }
        }
        return new Verdict(target, before, refusals);
    }

    /**
     * @param target    the environment the run is for
     * @param previous  the one before it; null for the first
     * @param refusals  one line per migration that may not run yet (or one for an unreachable predecessor); empty: passed
     */
    public record Verdict(String target, String previous, List<String> refusals) {

        public Verdict {
            refusals = List.copyOf(refusals);
        }

        public boolean passed() {
            return refusals.isEmpty();
        }
    }
}
