package dev.reverso.history;

import java.time.Instant;

/** A session holding a lock someone else wants: enough to find it and ask it to stop. */
public record LockHolder(int pid, String user, String applicationName, String clientAddress, Instant since,
                         String state, String query) {

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
        s.append(')');
        return s.toString();
    }
}
