package dev.reverso.engine;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How DDL waits for locks without stalling the application: a short lock_timeout first, so the
 * statement never sits long in the lock queue with the application's queries queued behind it;
 * on timeout, back off with jitter and try again with a longer timeout, up to a ceiling, and give
 * up after a total wait.
 *
 * @param initialLockTimeout the first try's lock_timeout (100 ms: measured, the application's
 *     worst latency stays near it)
 * @param maxLockTimeout the ceiling the timeout grows to on repeated failures
 * @param growth the factor the timeout grows by after each failure
 * @param maxTotalWait give up once the tries and the sleeps between them have taken this long
 * @param baseBackoff the sleep after the first failure; it doubles each time, with full jitter
 * @param maxBackoff the longest sleep between tries
 */
public record RetryPolicy(Duration initialLockTimeout, Duration maxLockTimeout, double growth,
                          Duration maxTotalWait, Duration baseBackoff, Duration maxBackoff) {

    /** The defaults: 100 ms growing by 1.5 to 1 s, sleeps from 200 ms to 5 s, give up after 60 s. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(Duration.ofMillis(100), Duration.ofSeconds(1), 1.5, Duration.ofSeconds(60),
                Duration.ofMillis(200), Duration.ofSeconds(5));
    }

    public RetryPolicy {
        if (initialLockTimeout.isNegative() || initialLockTimeout.isZero()) {
            throw new IllegalArgumentException("the lock timeout must be positive");
        }
        if (maxLockTimeout.compareTo(initialLockTimeout) < 0) {
            throw new IllegalArgumentException("the lock timeout ceiling is below the initial lock timeout");
        }
        if (growth < 1) {
            throw new IllegalArgumentException("the lock timeout growth factor must be at least 1");
        }
    }

    /** The lock_timeout for a try; tries count from 1. */
    public Duration lockTimeout(int attempt) {
        double millis = initialLockTimeout.toMillis() * Math.pow(growth, attempt - 1);
        return Duration.ofMillis((long) Math.min(millis, maxLockTimeout.toMillis()));
    }

    /** The sleep after failed try {@code attempt}: exponential, capped, with full jitter over its upper half. */
    public Duration backoff(int attempt, RandomGenerator random) {
        double cap = Math.min(baseBackoff.toMillis() * Math.pow(2, attempt - 1), maxBackoff.toMillis());
        // Half fixed, half random: runners that collide do not retry in lockstep, yet never spin.
        return Duration.ofMillis((long) (cap / 2 + random.nextDouble() * cap / 2));
    }

    public RetryPolicy withInitialLockTimeout(Duration d) {
        return new RetryPolicy(d, maxLockTimeout.compareTo(d) < 0 ? d : maxLockTimeout, growth, maxTotalWait, baseBackoff, maxBackoff);
    }

    public RetryPolicy withMaxLockTimeout(Duration d) {
        return new RetryPolicy(initialLockTimeout, d, growth, maxTotalWait, baseBackoff, maxBackoff);
    }

    public RetryPolicy withMaxTotalWait(Duration d) {
        return new RetryPolicy(initialLockTimeout, maxLockTimeout, growth, d, baseBackoff, maxBackoff);
    }

    public RetryPolicy withBackoff(Duration base, Duration max) {
        return new RetryPolicy(initialLockTimeout, maxLockTimeout, growth, maxTotalWait, base, max);
    }
}
