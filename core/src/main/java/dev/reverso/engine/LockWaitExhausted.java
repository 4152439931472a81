package dev.reverso.engine;

import dev.reverso.history.LockHolder;

import java.time.Duration;
import java.util.List;

/** Reverso tried a statement under lock_timeout until its total wait ran out. Nothing of the try was kept. */
public final class LockWaitExhausted extends Exception {

    private final Step step;
    private final int attempts;
    private final Duration waited;
    private final List<LockHolder> blockers;

    public LockWaitExhausted(Step step, int attempts, Duration waited, List<LockHolder> blockers) {
        super("gave up waiting for a lock after " + attempts + " tries");
        this.step = step;
        this.attempts = attempts;
        this.waited = waited;
        this.blockers = List.copyOf(blockers);
    }

    public Step step() {
        return step;
    }

    public int attempts() {
        return attempts;
    }

    public Duration waited() {
        return waited;
    }

    public List<LockHolder> blockers() {
        return blockers;
    }

    /** One line: what waited for which lock, for how long, and who held it with what query. */
    public String describe() {
        StringBuilder s = new StringBuilder("gave up after ").append(attempts).append(" tries in ")
                .append(waited.toMillis() / 1000.0).append(" s waiting for ")
                .append(step.classification().lock().sqlName()).append(" lock for line ").append(step.line())
                .append(" (").append(step.summary()).append(")");
        if (blockers.isEmpty()) {
            s.append("; the holder could not be identified");
        } else {
            s.append("; held by ");
            for (int i = 0; i < blockers.size(); i++) {
                LockHolder b = blockers.get(i);
                s.append(i == 0 ? "" : "; and by ").append(b.describe());
                if (b.query() != null) {
                    String q = b.query().replaceAll("\\s+", " ").strip();
                    s.append(" running '").append(q.length() > 60 ? q.substring(0, 57) + "..." : q).append('\'');
                }
            }
        }
        return s.toString();
    }
}
