package dev.reverso.lint;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;

/**
 * What the rules and the schema replay read from one file's statements (a parsed CREATE or ALTER
 * TABLE, a per-file table of settings), computed once and shared by the rule passes, which run
 * on two threads. A reading depends on the statements alone, and both passes replay the same
 * statements onto copies of the same schema, so either pass may compute it; if both do at once,
 * the first one stored wins and the other's is dropped. A statement's readings are let go when
 * every pass is done with it, so the readings of a large file are not all held at once.
 */
final class Readings {

    private final int passes;
    private final AtomicReferenceArray<Slots> perStatement;
    private final AtomicIntegerArray passesDone;
    private final Map<Object, Object> perFile = new ConcurrentHashMap<>();

    Readings(int statements, int passes) {
        this.passes = passes;
        this.perStatement = new AtomicReferenceArray<>(statements);
        this.passesDone = new AtomicIntegerArray(statements);
    }

    /**
     * The reading {@code key} of statement {@code index}, {@code compute} applied to {@code from}
     * by the first pass that asks. A function and its argument rather than a supplier: a lambda
     * that captures nothing is one object for good, where a capturing one is allocated at each
     * call, which under C1 (bin/reverso's compiler) is a call into the VM, millions of them on a
     * large file.
     */
    @SuppressWarnings("unchecked")
    <A, T> T ofStatement(int index, Object key, Function<? super A, ? extends T> compute, A from) {
        Slots readings = perStatement.get(index);
        if (readings == null) {
            perStatement.compareAndSet(index, null, new Slots());
            readings = perStatement.get(index);
        }
        Object value = readings.get(key);
        if (value == null) {
            value = readings.putIfAbsent(key, compute.apply(from));
        }
        return (T) value;
    }

    /** The reading {@code key} of the whole file, {@code compute} applied to {@code from} by the first pass that asks. */
    @SuppressWarnings("unchecked")
    <A, T> T ofFile(Object key, Function<? super A, ? extends T> compute, A from) {
        // Not computeIfAbsent: one reading may be built from others (typed columns from the parsed
        // CREATE or ALTER TABLE), and a map refuses a nested computeIfAbsent.
        Object value = perFile.get(key);
        if (value == null) {
            value = compute.apply(from);
            Object earlier = perFile.putIfAbsent(key, value);
            if (earlier != null) {
                value = earlier;
            }
        }
        return (T) value;
    }

    /** A pass is done with statement {@code index}: once all are, its readings go. */
    void done(int index) {
        if (passesDone.incrementAndGet(index) == passes) {
            perStatement.set(index, null);
        }
    }

    /**
     * One statement's readings: a handful of keys at most, so pairs in an array, which a large
     * file's hundred thousand statements allocate far less of than maps. Computed outside the
     * lock (a reading may need another); the first value stored for a key wins.
     */
    private static final class Slots {

        private Object[] pairs = new Object[8];
        private int size;

        synchronized Object get(Object key) {
            for (int i = 0; i < size; i += 2) {
                if (pairs[i].equals(key)) {
                    return pairs[i + 1];
                }
            }
            return null;
        }

        /** Stores the value unless the key has one; returns the one stored. */
        synchronized Object putIfAbsent(Object key, Object value) {
            Object earlier = get(key);
            if (earlier != null) {
                return earlier;
            }
            if (size == pairs.length) {
                pairs = java.util.Arrays.copyOf(pairs, size * 2);
            }
            pairs[size++] = key;
            pairs[size++] = value;
            return value;
        }
    }
}
