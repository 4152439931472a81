package dev.reverso.cli;

import dev.reverso.ReversoException;

/** The exit codes of DESIGN.md, in one place. */
final class ExitCode {

    static final int DONE = 0;
    static final int CHECK_FAILED = 1;
    static final int BAD_INPUT = 2;
    static final int UNREACHABLE = 3;
    static final int LOCKED = 4;
    static final int MIGRATION_FAILED = 5;

    private ExitCode() {
    }

    static int of(ReversoException.Kind kind) {
        return switch (kind) {
            case CHECK_FAILED -> CHECK_FAILED;
            case BAD_INPUT -> BAD_INPUT;
            case UNREACHABLE -> UNREACHABLE;
            case LOCKED -> LOCKED;
            case MIGRATION_FAILED -> MIGRATION_FAILED;
        };
    }
}
