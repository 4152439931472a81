package dev.reverso;

import java.util.List;

/**
 * What {@code preflight} found before the pending migrations run.
 *
 * @param items every check, in order, with its outcome
 */
public record PreflightReport(List<Item> items) {

    public PreflightReport {
        items = List.copyOf(items);
    }

    /** How a check came out. */
    public enum Status { PASS, WARN, FAIL }

    /**
     * @param check what was checked, such as {@code blocking sessions}
     * @param detail what was found, with the reason for a warning or failure
     */
    public record Item(Status status, String check, String detail) {
    }

    public boolean failed() {
        return items.stream().anyMatch(i -> i.status() == Status.FAIL);
    }
}
