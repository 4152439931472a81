package dev.reverso.release;

import java.time.Duration;

/** Durations as people write them in the config: 24h, 90m, 30s. */
final class Durations {

    private Durations() {
    }

    static String text(Duration d) {
        if (d.toHours() >= 1) {
            long minutes = d.toMinutesPart();
            return d.toHours() + "h" + (minutes == 0 ? "" : minutes + "m");
        }
        if (d.toMinutes() >= 1) {
            return d.toMinutes() + "m";
        }
        return d.toSeconds() + "s";
    }
}
