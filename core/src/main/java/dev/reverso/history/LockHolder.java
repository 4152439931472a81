package dev.reverso.history;

import java.time.Duration;
import java.time.Instant;

/**
 * A session holding a lock someone else wants: enough to find it and ask it to stop.
 *
 * @param since when its current transaction (or, for a runner, its session) began
 * @param age how long ago that was, by the server's clock; null when unknown
 */
public record LockHolder(int pid, String user, String applicationName, String clientAddress, Instant since,
                         Duration age, String state, String query) {

    /** One line naming the session, such as {@code pid 4711 (user app, application 'reverso', since 2026-11-22T01:02:03Z)}. */
    public String describe() {
        StringBuilder s = new StringBuilder("pid ").append(pid).append(" (user ").append(user);
        if (applicationName != null && !applicationName.isEmpty()) {
            s.append(", application '").append(applicationName).append('\'');
        }
        if (clientAddress != null) {
            s.append(", from ").append(clientAddress);
        }
        if (since != null) {
            s.append(", since ").append(since);
        }
        if (age != null) {
            s.append(", for ").append(String.format(java.util.Locale.ROOT, "%.1f s", age.toMillis() / 1000.0));
        }
        s.append(')');
        return s.toString();
    }
}
