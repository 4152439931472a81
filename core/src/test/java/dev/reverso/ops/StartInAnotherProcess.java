package dev.reverso.ops;

import dev.reverso.DatabaseUrl;
import dev.reverso.Reverso;
import dev.reverso.ReversoConfig;

import java.nio.file.Path;
import java.time.Duration;

/** A start run in a JVM of its own, so that a test can kill it with SIGKILL part way through. */
public final class StartInAnotherProcess {

    private StartInAnotherProcess() {
    }

    public static void main(String[] args) {
        Reverso.with(ReversoConfig.of(DatabaseUrl.parse(args[0]), Path.of(args[1]))
                .withBackfill(new BackfillSettings(Integer.parseInt(args[3]), Duration.ofMillis(Long.parseLong(args[4])))))
                .start(args[2]);
    }
}
