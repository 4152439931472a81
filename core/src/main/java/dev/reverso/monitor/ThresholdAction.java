package dev.reverso.monitor;

import java.time.Duration;

/** What the monitor did when a threshold was crossed, and why. */
public sealed interface ThresholdAction {

    /** One line saying what was done and why, as the run reports it and the audit log keeps it. */
    String describe();

    /** Whether the action stops the run (the others only hold it back for a while). */
    boolean stops();

    /** The audit outcome: cancelled, aborted, paused, resumed. */
    String outcome();

    /**
     * A session waited on the migration longer than {@code --max-blocking}: the migration's
     * statement was cancelled (pg_cancel_backend) and the run stops; its transaction rolls back.
     */
    record Cancelled(Sample.Waiter waiter, Duration limit, String statement) implements ThresholdAction {
        @Override
        public String describe() {
            return "cancelled: " + waiter.describe() + " waited " + Sample.seconds(waiter.waited()) + " on " + Sample.oneLine(statement)
                    + " (--max-blocking " + Sample.seconds(limit) + ")";
        }

        @Override
        public boolean stops() {
            return true;
        }

        @Override
        public String outcome() {
            return "cancelled";
        }
    }

    /** The run took longer than {@code --max-duration}: its statement was cancelled and the run stops. */
    record Overtime(Duration elapsed, Duration limit, String statement) implements ThresholdAction {
        @Override
        public String describe() {
            return "aborted: the run took " + Sample.seconds(elapsed) + ", over --max-duration " + Sample.seconds(limit)
                    + (statement == null ? "" : "; cancelled " + Sample.oneLine(statement));
        }

        @Override
        public boolean stops() {
            return true;
        }

        @Override
        public String outcome() {
            return "aborted";
        }
    }

    /** A replica lagged more than {@code --max-replication-lag}: the next batch or migration waits. */
    record Paused(String replica, Duration lag, Duration limit, String before) implements ThresholdAction {
        @Override
        public String describe() {
            return "paused before " + before + ": replica '" + replica + "' is " + Sample.seconds(lag)
                    + " behind (--max-replication-lag " + Sample.seconds(limit) + ")";
        }

        @Override
        public boolean stops() {
            return false;
        }

        @Override
        public String outcome() {
            return "paused";
        }
    }

    /** Every replica is back under {@code --max-replication-lag}: the run goes on. */
    record Resumed(Duration pausedFor, Duration worstLag) implements ThresholdAction {
        @Override
        public String describe() {
            return "resumed after " + Sample.seconds(pausedFor) + ": every replica within " + Sample.seconds(worstLag);
        }

        @Override
        public boolean stops() {
            return false;
        }

        @Override
        public String outcome() {
            return "resumed";
        }
    }

}
