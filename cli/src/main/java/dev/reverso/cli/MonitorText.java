package dev.reverso.cli;

import dev.reverso.history.LockHolder;
import dev.reverso.monitor.Replica;
import dev.reverso.monitor.Sample;

import java.util.ArrayList;
import java.util.List;

/** A monitor sample as one line for people: only what deserves attention, empty when all is quiet. */
final class MonitorText {

    private MonitorText() {
    }

    static String of(Sample s) {
        List<String> parts = new ArrayList<>();
        for (LockHolder h : s.waitsOn()) {
            parts.add("waiting for pid " + h.pid() + app(h.applicationName()) + ", " + h.state()
                    + (h.age() == null ? "" : " for " + Sample.seconds(h.age())) + ": " + Sample.oneLine(h.query()));
        }
        if (!s.waiters().isEmpty()) {
            Sample.Waiter w = s.waiters().get(0);
            parts.add("blocking " + w.describe() + " for " + Sample.seconds(w.waited())
                    + (s.waiters().size() > 1 ? " and " + (s.waiters().size() - 1) + " more" : ""));
        }
        for (Replica r : s.replicas()) {
            if (r.lag().toMillis() >= 500) {
                parts.add("replica " + r.name() + " " + Sample.seconds(r.lag()) + " behind");
            }
        }
        for (Sample.Slot slot : s.slots()) {
            if (slot.retainedBytes() > 1L << 30) {
                parts.add("slot " + slot.name() + " retains " + slot.retainedBytes() / (1L << 20) + " MB");
            }
        }
        if (s.indexBuild() != null) {
            Sample.IndexBuild b = s.indexBuild();
            parts.add("index " + b.index() + ": " + b.phase() + (b.percent() < 0 ? "" : " " + b.percent() + " %"));
        }
        return String.join(" | ", parts);
    }

    private static String app(String name) {
        return name == null || name.isEmpty() ? "" : " ('" + name + "')";
    }
}
