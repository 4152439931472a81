package dev.reverso.ops;

import java.util.Set;

/**
 * {@code sql}: raw SQL, run at start (or on complete with {@code onComplete}); rollback runs
 * {@code down}. The plan cannot see what it changes, so the new version's views are rebuilt
 * from the catalog on complete.
 */
record RawSql(String up, String down, boolean onComplete) implements Operation {

    static RawSql read(Field f) throws DocumentError {
        f.only(Set.of("up", "down", "onComplete"));
        boolean onComplete = f.bool("onComplete", false);
        String down = f.optionalText("down").orElse(null);
        if (onComplete && down != null) {
            throw new DocumentError(f.path() + ".down", "an onComplete operation runs after the point of no return;"
                    + " it cannot have a down");
        }
        return new RawSql(f.text("up"), down, onComplete);
    }

    @Override
    public String kind() {
        return "sql";
    }

    @Override
    public void plan(Planner p, String path) {
        if (onComplete) {
            p.contract("raw SQL", up);
        } else {
            p.expand("raw SQL", up);
            if (down != null) {
                p.undoLater("raw SQL down", down);
            }
        }
        p.rebuildViewsOnComplete();
    }
}
