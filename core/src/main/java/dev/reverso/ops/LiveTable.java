package dev.reverso.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A table of the target schema as an operation migration is planned against it. The planner
 * changes it as each operation is planned, so that later operations see what earlier ones did;
 * {@link #physical} stays the table's real name while {@link #name} is its name in the new version.
 */
public final class LiveTable {

    private String name;
    private final String physical;
    private final List<LiveColumn> columns;
    private final List<String> primaryKey;
    private final List<LiveIndex> indexes;
    private final List<LiveConstraint> constraints;
    /** Foreign keys of other tables that reference this one: "table.constraint" for messages. */
    private final List<LiveConstraint> referencedBy;
    private final boolean createdHere;

    LiveTable(String name, List<LiveColumn> columns, List<String> primaryKey, List<LiveIndex> indexes,
              List<LiveConstraint> constraints, List<LiveConstraint> referencedBy, boolean createdHere) {
        this.name = name;
        this.physical = name;
        this.columns = new ArrayList<>(columns);
        this.primaryKey = List.copyOf(primaryKey);
        this.indexes = new ArrayList<>(indexes);
        this.constraints = new ArrayList<>(constraints);
        this.referencedBy = List.copyOf(referencedBy);
        this.createdHere = createdHere;
    }

    public String name() {
        return name;
    }

    public String physical() {
        return physical;
    }

    public List<LiveColumn> columns() {
        return List.copyOf(columns);
    }

    public List<String> primaryKey() {
        return primaryKey;
    }

    public List<LiveIndex> indexes() {
        return List.copyOf(indexes);
    }

    public List<LiveConstraint> constraints() {
        return List.copyOf(constraints);
    }

    public List<LiveConstraint> referencedBy() {
        return referencedBy;
    }

    /** Created by the migration being planned: nothing reads or writes it yet. */
    public boolean createdHere() {
        return createdHere;
    }

    public Optional<LiveColumn> column(String columnName) {
        return columns.stream().filter(c -> c.name().equals(columnName)).findFirst();
    }

    public Optional<LiveConstraint> constraint(String constraintName) {
        return constraints.stream().filter(c -> c.name().equals(constraintName)).findFirst();
    }

    /**
     * The columns a backfill can walk the table by: the primary key, or else the columns of a
     * unique index on NOT NULL columns with no predicate; empty when there is neither.
     */
    public List<String> batchKey() {
        if (!primaryKey.isEmpty()) {
            return primaryKey;
        }
        for (LiveIndex index : indexes) {
            if (index.unique() && !index.columns().isEmpty() && !index.definition().contains(" WHERE ")
                    && index.columns().stream().allMatch(c -> physicalColumn(c).map(LiveColumn::notNull).orElse(false))) {
                return index.columns();
            }
        }
        return List.of();
    }

    Optional<LiveColumn> physicalColumn(String physicalName) {
        return columns.stream().filter(c -> c.physical().equals(physicalName)).findFirst();
    }

    void rename(String to) {
        this.name = to;
    }

    void addColumn(LiveColumn column) {
        columns.add(column);
    }

    void replaceColumn(String columnName, LiveColumn with) {
        columns.replaceAll(c -> c.name().equals(columnName) ? with : c);
    }

    void removeColumn(String columnName) {
        columns.removeIf(c -> c.name().equals(columnName));
    }

    void addIndex(LiveIndex index) {
        indexes.add(index);
    }

    void removeIndex(String indexName) {
        indexes.removeIf(i -> i.name().equals(indexName));
    }

    void addConstraint(LiveConstraint constraint) {
        constraints.add(constraint);
    }

    void removeConstraint(String constraintName) {
        constraints.removeIf(c -> c.name().equals(constraintName));
    }

    void renameConstraint(String from, String to) {
        constraints.replaceAll(c -> c.name().equals(from)
                ? new LiveConstraint(to, c.type(), c.columns(), c.definition(), c.referencedTable()) : c);
    }
}
