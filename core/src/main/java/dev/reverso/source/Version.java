package dev.reverso.source;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A migration version: one or more non-negative integers ({@code 0001}, {@code 20240101120000},
 * Flyway's {@code 1.2} or {@code 1_2}). Leading zeros do not count, so {@code 0001} and
 * {@code V1} are the same version.
 */
public record Version(List<BigInteger> parts) implements Comparable<Version> {

    public Version {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("a version needs at least one number");
        }
        // Flyway treats 1 and 1.0 as one version; trimming keeps equals() in line with compareTo().
        int end = parts.size();
        while (end > 1 && parts.get(end - 1).signum() == 0) {
            end--;
        }
        parts = List.copyOf(parts.subList(0, end));
    }

    /**
     * Parses {@code 12}, {@code 0012}, {@code 1.2} or {@code 1_2}.
     *
     * @throws IllegalArgumentException when the text is not a version
     */
    public static Version parse(String text) {
        String[] pieces = text.split("[._]", -1);
        List<BigInteger> parts = new ArrayList<>(pieces.length);
        for (String piece : pieces) {
            if (piece.isEmpty() || !piece.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("'" + text + "' is not a version (digits, separated by '.' or '_')");
            }
            parts.add(new BigInteger(piece));
        }
        return new Version(parts);
    }

    @Override
    public int compareTo(Version other) {
        int n = Math.max(parts.size(), other.parts.size());
        for (int i = 0; i < n; i++) {
            BigInteger a = i < parts.size() ? parts.get(i) : BigInteger.ZERO;
            BigInteger b = i < other.parts.size() ? other.parts.get(i) : BigInteger.ZERO;
            int c = a.compareTo(b);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    @Override
    public String toString() {
        return parts.stream().map(BigInteger::toString).collect(Collectors.joining("."));
    }
}
