package dev.reverso.ops;

import java.sql.SQLException;

/**
 * One operation of a pgroll-format migration. {@link #plan} validates the operation against the
 * schema as the operations before it left it, reflects it in that schema, and registers what
 * each phase must run: start (expand), complete (contract) and rollback.
 */
public sealed interface Operation permits CreateTable, AddColumn, DropColumn, RenameColumn, AlterColumn, CreateIndex,
        DropIndex, RenameTable, DropTable, CreateConstraint, DropConstraint, RenameConstraint, SetReplicaIdentity, RawSql {

    /** The operation's name in the document, such as {@code add_column}. */
    String kind();

    /**
     * Validates and plans the operation.
     *
     * @param path the operation's JSON path, for errors
     * @throws DocumentError when the document asks for something the schema cannot do
     */
    void plan(Planner planner, String path) throws DocumentError, SQLException;
}
