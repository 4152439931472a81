package dev.reverso;

import dev.reverso.catalog.SchemaSnapshot;

import java.util.List;

/**
 * What {@code diff} found between two databases' schemas.
 *
 * @param a the first database, password hidden
 * @param b the second
 * @param objects how many objects the first has
 * @param differences every object that differs, in name order
 */
public record SchemaDiff(String a, String b, int objects, List<SchemaSnapshot.Difference> differences) {

    public SchemaDiff {
        differences = List.copyOf(differences);
    }

    public boolean same() {
        return differences.isEmpty();
    }
}
