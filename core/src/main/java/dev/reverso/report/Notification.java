package dev.reverso.report;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * One webhook message, posted as JSON; fields that do not apply are left out.
 *
 * @param event start, threshold, success, failure or rollback
 * @param run the run's name; its report files carry the same stem (known from the end of the run)
 * @param text one line for a chat channel
 * @param versions the migrations concerned, when known
 * @param action the monitor's action, for {@code threshold}
 * @param error the error, for {@code failure}
 * @param snapshots the snapshots a rollback can fall back on, for {@code rollback}
 * @param archives the archived data a rollback puts back, for {@code rollback}
 * @param etaSeconds for {@code rollback}: an estimate from how long the migrations took to apply, when known
 * @param report the report's path, at the end of the run
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Notification(String event, String run, String command, String database, String at, String text,
                           List<String> versions, String action, String error, List<String> snapshots, List<String> archives,
                           Long etaSeconds, String report) {
}
