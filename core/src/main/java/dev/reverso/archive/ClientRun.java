package dev.reverso.archive;

import dev.reverso.ReversoException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * One run of a PostgreSQL client program against a {@link ClientTarget}: what it printed, or a
 * one-line error with the first thing it said went wrong.
 */
final class ClientRun {

    private ClientRun() {
    }

    /**
     * Runs the program to its end and returns its standard output.
     *
     * @param what what the run does, for the error message ("pg_dump of 3 tables")
     * @throws ReversoException UNREACHABLE when the program fails (the server refused, a
     *     permission, a lock wait ran out): its first error line is in the message
     */
    static String run(List<String> command, ClientTarget target, String what) {
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = target.environment(System.getenv());
        builder.environment().clear();
        builder.environment().putAll(env);
        try {
            Process p = builder.start();
            // Standard error is read on its own thread so that neither pipe can fill up and stall the program.
            StringBuilder err = new StringBuilder();
            Thread errors = new Thread(() -> {
                try {
                    err.append(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    err.append(e.getMessage());
                }
            });
            errors.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int exit = p.waitFor();
            errors.join();
            if (exit != 0) {
                String said = err.toString().lines().filter(l -> l.contains("error:") || l.contains("ERROR"))
                        .findFirst().orElse(err.toString().lines().filter(l -> !l.isBlank()).findFirst().orElse("exit " + exit));
                throw new ReversoException(ReversoException.Kind.UNREACHABLE, what + " failed: " + said.strip().replaceAll("\\s+", " "));
            }
            return out;
        } catch (IOException e) {
            throw new ReversoException(ReversoException.Kind.UNREACHABLE, what + " could not start: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReversoException(ReversoException.Kind.UNREACHABLE, what + " was interrupted", e);
        }
    }
}
