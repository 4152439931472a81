package dev.reverso.release;

import dev.reverso.DatabaseUrl;
import dev.reverso.ReversoException;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * One environment of {@code reverso.yaml}'s ordered {@code environments:} list.
 *
 * @param name   what the config and {@code --env} call it ({@code staging})
 * @param url    its database URL, or null when {@code urlEnv} names the variable holding it
 * @param urlEnv the environment variable holding its URL, or null when {@code url} is given
 * @param soak   how long a migration must have been applied in the previous environment before
 *               it may run here; null to use the list's global soak
 */
public record Environment(String name, String url, String urlEnv, Duration soak) {

    public Environment {
        Objects.requireNonNull(name, "name");
        if ((url == null) == (urlEnv == null)) {
            throw ReversoException.badInput("environment " + name + ": give exactly one of url and url_env");
        }
    }

    /**
     * Its URL, read from the variables when it names one.
     *
     * @throws ReversoException BAD_INPUT when the named variable is not set or the URL is malformed
     */
    public DatabaseUrl resolve(Map<String, String> variables) {
        String text = url != null ? url : variables.get(urlEnv);
        if (text == null || text.isBlank()) {
            throw ReversoException.badInput("environment " + name + ": the variable " + urlEnv + " (its url_env) is not set");
        }
        return DatabaseUrl.parse(text);
    }
}
