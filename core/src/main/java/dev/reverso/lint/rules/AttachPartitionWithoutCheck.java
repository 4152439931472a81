package dev.reverso.lint.rules;

import dev.reverso.lint.Rule;
import dev.reverso.lint.SchemaState;
import dev.reverso.lint.Severity;
import dev.reverso.lint.StatementContext;
import dev.reverso.lint.TableDdl;
import dev.reverso.sql.Token;

import java.util.List;
import java.util.Optional;

/**
 * #20: ATTACH PARTITION scans the incoming table under ACCESS EXCLUSIVE unless a validated CHECK
 * implies the partition bound. Cleared when the replay knows a validated CHECK on the incoming
 * table (it cannot prove the CHECK implies the bound) or when this migration created the
 * incoming table with CREATE TABLE (it is empty).
 */
final class AttachPartitionWithoutCheck implements Rule {

    @Override
    public String id() {
        return "attach-partition-without-check";
    }

    @Override
    public boolean handles(String command) {
        // It reads only ALTER TABLE (Tokens.alterExistingTable).
        return command.equals("ALTER TABLE");
    }

    @Override
    public Severity severity() {
        return Severity.WARNING;
    }

    @Override
    public void check(StatementContext ctx) {
        Optional<TableDdl.AlterTable> alter = Tokens.alterExistingTable(ctx);
        if (alter.isEmpty()) {
            return;
        }
        for (TableDdl.Action action : alter.get().actions()) {
            List<Token> t = action.tokens();
            if (!action.startsWith("ATTACH", "PARTITION")) {
                continue;
            }
            Optional<TableDdl.Name> partition = TableDdl.name(t, 2);
            if (partition.isEmpty()) {
                continue;
            }
            String part = partition.get().text();
            boolean emptyNew = ctx.createdInThisMigration(part) && ctx.before().stream()
                    .anyMatch(s -> s.classification().command().equals("CREATE TABLE") && s.classification().change()
                            .map(ch -> SchemaState.normalise(ch.schema() == null ? ch.name() : ch.schema() + "." + ch.name())
                                    .equals(SchemaState.normalise(part))).orElse(false));
            boolean validatedCheck = ctx.schema().constraints(part).stream()
                    .anyMatch(c -> c.kind().equals("CHECK") && c.validated() && !c.notNullCheck());
            if (emptyNew || validatedCheck) {
                continue;
            }
            String parent = alter.get().table();
            String bound = Tokens.text(ctx, t.subList(partition.get().end(), t.size()));
            String check = partition.get().last() + "_partition_bound";
            ctx.report("ATTACH PARTITION " + part + " scans every row of " + part + " under ACCESS EXCLUSIVE to prove it fits "
                            + bound + " (and scans the default partition, if any); no validated CHECK on " + part
                            + " is known that would let PostgreSQL skip the scan",
                    "ALTER TABLE " + part + " ADD CONSTRAINT " + check + " CHECK (<partition key within " + bound + ">) NOT VALID;\n"
                            + "-- in a later migration:\n"
                            + "ALTER TABLE " + part + " VALIDATE CONSTRAINT " + check + ";\n"
                            + "ALTER TABLE " + parent + " ATTACH PARTITION " + part + " " + bound + ";\n"
                            + "ALTER TABLE " + part + " DROP CONSTRAINT " + check + ";");
        }
    }
}
