package dev.reverso.lint;

import java.util.Locale;

/** How bad a finding is (LINT_HAZARDS.md): error fails, loses data or holds ACCESS EXCLUSIVE for O(table). */
public enum Severity {
    INFO, WARNING, ERROR;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Reads {@code info}, {@code warning} or {@code error}. */
    public static Severity parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not a severity (info, warning, error)");
        }
    }
}
