package dev.reverso.lint;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Supplier;

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

    /** The reading {@code key} of statement {@code index}, computed by the first pass that asks. */
    @SuppressWarnings("unchecked")
    <T> T ofStatement(int index, Object key, Supplier<T> compute) {
        Slots readings = perStatement.get(index);
        if (readings == null) {
            perStatement.compareAndSet(index, null, new Slots());
            readings = perStatement.get(index);
        }
        Object value = readings.get(key);
        if (value == null) {
            value = readings.putIfAbsent(key, compute.get());
        }
        return (T) value;
    }

    /** The reading {@code key} of the whole file, computed by the first pass that asks. */
    <T> T ofFile(Object key, Supplier<T> compute) {
        return read(perFile, key, compute);
    }

    /** A pass is done with statement {@code index}: once all are, its readings go. */
    void done(int index) {
        if (passesDone.incrementAndGet(index) == passes) {
            perStatement.set(index, null);
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T read(Map<Object, Object> readings, Object key, Supplier<T> compute) {
        // Not computeIfAbsent: one reading may be built from others (typed columns from the parsed
        // CREATE or ALTER TABLE), and a map refuses a nested computeIfAbsent.
        Object value = readings.get(key);
        if (value == null) {
            value = compute.get();
            Object earlier = readings.putIfAbsent(key, value);
            if (earlier != null) {
                value = earlier;
            }
        }
        return (T) value;
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
