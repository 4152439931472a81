package dev.reverso.verify;

import dev.reverso.VerifyReport.Kind;
import dev.reverso.VerifyReport.Problem;
import dev.reverso.catalog.SchemaSnapshot;

import java.util.ArrayList;
import java.util.List;

/**
 * The live schema against the one the applied migrations make when replayed on an empty database:
 * what they create that is missing, what exists that none of them creates (an index made by
 * hand), and what differs (a column's type changed by hand). A constraint the migrations leave
 * NOT VALID that has been validated since is no difference.
 */
public final class ExpectedSchema {

    private ExpectedSchema() {
    }

    /** The check's name in a verify report. */
    public static final String CHECK = "the schema against the applied migrations";

    /** One problem per object that differs between the live snapshot and the replayed one. */
    public static List<Problem> problems(SchemaSnapshot live, SchemaSnapshot expected) {
        List<Problem> out = new ArrayList<>();
        for (SchemaSnapshot.Difference d : live.against(expected)) {
            if (d.here() != null && (d.here() + " NOT VALID").equals(d.there())) {
                // Validated since (by hand, or by the runbook's VALIDATE step): stronger than the migrations left it.
                continue;
            }
            if (d.here() == null) {
                out.add(new Problem(Kind.OBJECT_MISSING, d.object(), d.object() + " is missing: the applied migrations create it ("
                        + d.there() + ")"));
            } else if (d.there() == null) {
                out.add(new Problem(Kind.OBJECT_UNEXPECTED, d.object(), d.object() + " (" + d.here() + ") exists but no applied"
                        + " migration creates it: made by hand? put it in a migration or drop it"));
            } else {
                out.add(new Problem(Kind.OBJECT_CHANGED, d.object(), d.object() + " is " + d.here() + "; the applied migrations make"
                        + " it " + d.there()));
            }
        }
        return out;
    }
}
