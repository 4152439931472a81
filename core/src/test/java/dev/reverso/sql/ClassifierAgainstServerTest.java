package dev.reverso.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Checks the {@code transactional} flag against what a real PostgreSQL refuses in a transaction block. */
class ClassifierAgainstServerTest {

    private static final String NOT_IN_TRANSACTION_BLOCK = "25001";
    private static final String DATABASE = "reverso_test_sqlclassifier_"
            + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    private static String adminUrl;
    private static Connection connection;

    private static final String SETUP = """
            CREATE TABLE t (id int PRIMARY KEY, a int, b text);
            CREATE TABLE orgs (id int PRIMARY KEY);
            CREATE INDEX t_a ON t (a);
            CREATE TABLE m (id int) PARTITION BY RANGE (id);
            CREATE TABLE m_1 PARTITION OF m FOR VALUES FROM (0) TO (10);
            CREATE TABLE m_2 (id int);
            CREATE MATERIALIZED VIEW mv AS SELECT 1 AS x;
            CREATE UNIQUE INDEX mv_x ON mv (x);
            CREATE TYPE mood AS ENUM ('a');
            CREATE SCHEMA s;
            CREATE SEQUENCE seq;
            """;

    private static final List<String> STATEMENTS = List.of(
            "CREATE INDEX CONCURRENTLY t_b ON t (b)",
            "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS t_b2 ON t (b)",
            "CREATE INDEX t_b3 ON t (b)",
            "DROP INDEX CONCURRENTLY t_a",
            "DROP INDEX t_a",
            "REINDEX INDEX t_a",
            "REINDEX TABLE CONCURRENTLY t",
            "REINDEX (CONCURRENTLY) INDEX t_a",
            "REINDEX SCHEMA s",
            "REINDEX DATABASE " + DATABASE,
            "REINDEX SYSTEM " + DATABASE,
            "VACUUM",
            "VACUUM (ANALYZE) t",
            "VACUUM FULL t",
            "ANALYZE t",
            "CLUSTER",
            "CLUSTER t USING t_pkey",
            "CREATE DATABASE reverso_never_created",
            "DROP DATABASE IF EXISTS reverso_never_created",
            "ALTER DATABASE " + DATABASE + " SET TABLESPACE pg_default",
            "ALTER DATABASE " + DATABASE + " SET work_mem = '8MB'",
            "CREATE TABLESPACE reverso_ts LOCATION '/nonexistent'",
            "DROP TABLESPACE IF EXISTS reverso_ts",
            "ALTER SYSTEM SET work_mem = '8MB'",
            "ALTER TABLE m DETACH PARTITION m_1 CONCURRENTLY",
            "ALTER TABLE m DETACH PARTITION m_1",
            "ALTER TABLE m ATTACH PARTITION m_2 FOR VALUES FROM (10) TO (20)",
            "ALTER TABLE t ADD CONSTRAINT t_fk FOREIGN KEY (a) REFERENCES orgs (id) NOT VALID",
            "ALTER TABLE t ADD COLUMN c int",
            "ALTER TYPE mood ADD VALUE 'b'",
            "CREATE SUBSCRIPTION reverso_sub CONNECTION 'dbname=nowhere' PUBLICATION p",
            "CREATE SUBSCRIPTION reverso_sub CONNECTION 'dbname=nowhere' PUBLICATION p WITH (connect = false)",
            "COMMIT PREPARED 'reverso_nothing'",
            "ROLLBACK PREPARED 'reverso_nothing'",
            "DISCARD ALL",
            "DISCARD PLANS",
            "REFRESH MATERIALIZED VIEW CONCURRENTLY mv",
            "REFRESH MATERIALIZED VIEW mv",
            "TRUNCATE t",
            "LOCK TABLE t IN SHARE MODE",
            "COMMENT ON TABLE t IS 'x'",
            "INSERT INTO t VALUES (1, 1, 'x')",
            "SELECT * FROM t FOR UPDATE",
            "DO $$ BEGIN PERFORM 1; END $$",
            "CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT x; END",
            "DROP SCHEMA s CASCADE",
            "DROP SEQUENCE seq");

    @BeforeAll
    static void createScratchDatabase() throws SQLException {
        adminUrl = Optional.ofNullable(System.getenv("REVERSO_TEST_URL"))
                .orElse("jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres");
        try (Connection admin = DriverManager.getConnection(adminUrl)) {
            admin.createStatement().execute("CREATE DATABASE " + DATABASE);
        }
        connection = DriverManager.getConnection(urlFor(DATABASE));
        for (Statement statement : StatementSplitter.split(SETUP)) {
            connection.createStatement().execute(statement.sql());
        }
    }

    @AfterAll
    static void dropScratchDatabase() throws SQLException {
        if (connection != null) {
            connection.close();
        }
        try (Connection admin = DriverManager.getConnection(adminUrl)) {
            admin.createStatement().execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
        }
    }

    /** The same server and credentials, another database. */
    private static String urlFor(String database) {
        int query = adminUrl.indexOf('?');
        String base = query < 0 ? adminUrl : adminUrl.substring(0, query);
        String parameters = query < 0 ? "" : adminUrl.substring(query);
        return base.substring(0, base.lastIndexOf('/') + 1) + database + parameters;
    }

    @Test
    void transactionalIsFalseExactlyWhenPostgresqlRefusesATransactionBlock() throws SQLException {
        Classifier classifier = new Classifier();
        for (Statement statement : StatementSplitter.split(String.join(";\n", STATEMENTS))) {
            boolean refused = refusedInTransactionBlock(statement.sql());
            assertThat(classifier.classify(statement).transactional())
                    .as(statement.sql() + " (refused in a transaction block: " + refused + ")")
                    .isEqualTo(!refused);
        }
    }

    private static boolean refusedInTransactionBlock(String sql) throws SQLException {
        try (java.sql.Statement jdbc = connection.createStatement()) {
            jdbc.execute("BEGIN");
            try {
                jdbc.execute(sql);
                return false;
            } catch (SQLException e) {
                return NOT_IN_TRANSACTION_BLOCK.equals(e.getSQLState());
            } finally {
                jdbc.execute("ROLLBACK");
            }
        }
    }
}
