package dev.reverso.lint;

import java.util.List;

/** A {@code -- reverso:ignore RULE[, RULE...] reason} comment: the rules it silences on the next statement. */
record Suppression(int line, List<String> rules) {
}
