package dev.reverso.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClassifierTest {

    private final Classifier classifier = new Classifier();

    private Classification classify(String sql) {
        List<Statement> statements = StatementSplitter.split(sql);
        assertThat(statements).hasSize(1);
        return classifier.classify(statements.get(0));
    }

    /** Columns: statement | command | lock | lock certain | targets | transactional. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "CREATE TABLE t (a int)|CREATE TABLE|NONE|true||true",
            "CREATE TABLE t (a int REFERENCES orgs(id), b int, FOREIGN KEY (b) REFERENCES s.\"Teams\")|CREATE TABLE|SHARE_ROW_EXCLUSIVE|true|orgs,s.Teams|true",
            "CREATE TABLE t (id int PRIMARY KEY, parent int REFERENCES t)|CREATE TABLE|NONE|true||true",
            "CREATE TABLE t_2024 PARTITION OF t FOR VALUES FROM (1) TO (2)|CREATE TABLE|ACCESS_EXCLUSIVE|true|t|true",
            "CREATE TABLE t2 (LIKE t INCLUDING ALL, CHECK (a LIKE 'x%'))|CREATE TABLE|ACCESS_SHARE|true|t|true",
            "CREATE TABLE t2 AS SELECT * FROM t JOIN u ON t.id = u.id|CREATE TABLE AS|ACCESS_SHARE|true|t,u|true",
            "CREATE TEMP TABLE IF NOT EXISTS x (a int)|CREATE TABLE|NONE|true||true",
            "CREATE INDEX idx ON t (a)|CREATE INDEX|SHARE|true|t|true",
            "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS idx ON ONLY s.t USING btree (a)|CREATE INDEX CONCURRENTLY|SHARE_UPDATE_EXCLUSIVE|true|s.t|false",
            "create index on t(a)|CREATE INDEX|SHARE|true|t|true",
            "DROP INDEX idx|DROP INDEX|ACCESS_EXCLUSIVE|true|idx|true",
            "DROP INDEX CONCURRENTLY IF EXISTS s.idx|DROP INDEX CONCURRENTLY|SHARE_UPDATE_EXCLUSIVE|true|s.idx|false",
            "ALTER TABLE \"Users\" ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES orgs(id)|ALTER TABLE|SHARE_ROW_EXCLUSIVE|true|Users,orgs|true",
            "ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES orgs(id) NOT VALID|ALTER TABLE|SHARE_ROW_EXCLUSIVE|true|t,orgs|true",
            "ALTER TABLE t ADD COLUMN org int REFERENCES orgs|ALTER TABLE|ACCESS_EXCLUSIVE|true|t,orgs|true",
            "ALTER TABLE t ADD COLUMN a int|ALTER TABLE|ACCESS_EXCLUSIVE|true|t|true",
            "ALTER TABLE t ADD CONSTRAINT c CHECK (a > 0) NOT VALID|ALTER TABLE|ACCESS_EXCLUSIVE|true|t|true",
            "ALTER TABLE t VALIDATE CONSTRAINT fk|ALTER TABLE|SHARE_UPDATE_EXCLUSIVE|true|t|true",
            "ALTER TABLE t ALTER COLUMN a SET STATISTICS 500|ALTER TABLE|SHARE_UPDATE_EXCLUSIVE|true|t|true",
            "ALTER TABLE t ALTER a SET (n_distinct = 100)|ALTER TABLE|SHARE_UPDATE_EXCLUSIVE|true|t|true",
            "ALTER TABLE t ALTER COLUMN a TYPE bigint|ALTER TABLE|ACCESS_EXCLUSIVE|true|t|true",
            "ALTER TABLE t SET (fillfactor = 70, autovacuum_enabled = false, toast.autovacuum_enabled = false)|ALTER TABLE|SHARE_UPDATE_EXCLUSIVE|true|t|true",
            "ALTER TABLE t SET (user_catalog_table = true)|ALTER TABLE|ACCESS_EXCLUSIVE|true|t|true",
            "ALTER TABLE t CLUSTER ON idx|ALTER TABLE|SHARE_UPDATE_EXCLUSIVE|true|t|true",
            "ALTER TABLE t SET WITHOUT CLUSTER|ALTER TABLE|SHARE_UPDATE_EXCLUSIVE|true|t|true",
            "ALTER TABLE t SET LOGGED|ALTER TABLE|ACCESS_EXCLUSIVE|true|t|true",
            "ALTER TABLE t VALIDATE CONSTRAINT a, ALTER COLUMN b SET NOT NULL|ALTER TABLE|ACCESS_EXCLUSIVE|true|t|true",
            "ALTER TABLE t DISABLE TRIGGER tr|ALTER TABLE|SHARE_ROW_EXCLUSIVE|true|t|true",
            "ALTER TABLE t ENABLE ROW LEVEL SECURITY|ALTER TABLE|ACCESS_EXCLUSIVE|true|t|true",
            "ALTER TABLE m ATTACH PARTITION m_1 FOR VALUES FROM (1) TO (2)|ALTER TABLE|ACCESS_EXCLUSIVE|true|m,m_1|true",
            "ALTER TABLE m DETACH PARTITION m_1|ALTER TABLE|ACCESS_EXCLUSIVE|true|m,m_1|true",
            "ALTER TABLE m DETACH PARTITION m_1 CONCURRENTLY|ALTER TABLE|SHARE_UPDATE_EXCLUSIVE|true|m,m_1|false",
            "ALTER TABLE IF EXISTS ONLY public.t RENAME TO u|ALTER TABLE|ACCESS_EXCLUSIVE|true|public.t|true",
            "ALTER TABLE t RENAME COLUMN a TO b|ALTER TABLE|ACCESS_EXCLUSIVE|true|t|true",
            "ALTER INDEX i RENAME TO j|ALTER INDEX|SHARE_UPDATE_EXCLUSIVE|true|i|true",
            "ALTER INDEX i SET TABLESPACE x|ALTER INDEX|ACCESS_EXCLUSIVE|true|i|true",
            "ALTER SEQUENCE s RESTART 1|ALTER SEQUENCE|SHARE_ROW_EXCLUSIVE|true|s|true",
            "ALTER TYPE mood ADD VALUE 'meh'|ALTER TYPE|NONE|true||true",
            "ALTER DOMAIN d ADD CONSTRAINT c CHECK (VALUE > 0)|ALTER DOMAIN|SHARE|true||true",
            "ALTER DATABASE db SET TABLESPACE fast|ALTER DATABASE|NONE|true||false",
            "ALTER DATABASE db SET work_mem = '1MB'|ALTER DATABASE|NONE|true||true",
            "ALTER SYSTEM SET work_mem = '1MB'|ALTER SYSTEM|NONE|true||false",
            "ALTER SUBSCRIPTION s REFRESH PUBLICATION|ALTER SUBSCRIPTION|NONE|true||false",
            "ALTER SUBSCRIPTION s SET PUBLICATION p WITH (refresh = false)|ALTER SUBSCRIPTION|NONE|true||true",
            "ALTER SUBSCRIPTION s ENABLE|ALTER SUBSCRIPTION|NONE|true||true",
            "ALTER FUNCTION f() OWNER TO x|ALTER FUNCTION|NONE|true||true",
            "ALTER TRIGGER tr ON t RENAME TO tr2|ALTER TRIGGER|ACCESS_EXCLUSIVE|true|t|true",
            "CREATE TRIGGER tr BEFORE INSERT ON s.t FOR EACH ROW EXECUTE FUNCTION f()|CREATE TRIGGER|SHARE_ROW_EXCLUSIVE|true|s.t|true",
            "CREATE POLICY p ON t USING (true)|CREATE POLICY|ACCESS_EXCLUSIVE|true|t|true",
            "CREATE VIEW v AS SELECT a FROM t|CREATE VIEW|ACCESS_SHARE|true|t|true",
            "CREATE OR REPLACE VIEW v AS SELECT 1|CREATE VIEW|ACCESS_EXCLUSIVE|false|v|true",
            "CREATE MATERIALIZED VIEW mv AS SELECT 1 WITH NO DATA|CREATE MATERIALIZED VIEW|NONE|true||true",
            "CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$|CREATE FUNCTION|NONE|true||true",
            "CREATE SCHEMA s|CREATE SCHEMA|NONE|true||true",
            "CREATE TYPE mood AS ENUM ('a', 'b')|CREATE TYPE|NONE|true||true",
            "CREATE SEQUENCE s|CREATE SEQUENCE|NONE|true||true",
            "CREATE EXTENSION IF NOT EXISTS pgcrypto|CREATE EXTENSION|NONE|false||true",
            "CREATE DATABASE d|CREATE DATABASE|NONE|true||false",
            "DROP DATABASE IF EXISTS d|DROP DATABASE|NONE|true||false",
            "CREATE TABLESPACE ts LOCATION '/x'|CREATE TABLESPACE|NONE|true||false",
            "DROP TABLESPACE ts|DROP TABLESPACE|NONE|true||false",
            "CREATE SUBSCRIPTION s CONNECTION 'x' PUBLICATION p|CREATE SUBSCRIPTION|NONE|true||false",
            "CREATE SUBSCRIPTION s CONNECTION 'x' PUBLICATION p WITH (connect = false)|CREATE SUBSCRIPTION|NONE|true||true",
            "DROP SUBSCRIPTION s|DROP SUBSCRIPTION|NONE|true||false",
            "DROP TABLE a, s.b CASCADE|DROP TABLE|ACCESS_EXCLUSIVE|false|a,s.b|true",
            "DROP TABLE IF EXISTS a|DROP TABLE|ACCESS_EXCLUSIVE|true|a|true",
            "DROP SCHEMA s|DROP SCHEMA|NONE|true||true",
            "DROP SCHEMA s CASCADE|DROP SCHEMA|ACCESS_EXCLUSIVE|false||true",
            "DROP TRIGGER IF EXISTS tr ON t|DROP TRIGGER|ACCESS_EXCLUSIVE|true|t|true",
            "INSERT INTO t (a) SELECT a FROM u|INSERT|ROW_EXCLUSIVE|true|t,u|true",
            "UPDATE ONLY t SET a = 1 FROM u WHERE t.id = u.id|UPDATE|ROW_EXCLUSIVE|true|t,u|true",
            "DELETE FROM s.t WHERE a IN (SELECT a FROM u)|DELETE|ROW_EXCLUSIVE|true|s.t,u|true",
            "MERGE INTO t USING u ON t.id = u.id WHEN MATCHED THEN DELETE|MERGE|ROW_EXCLUSIVE|true|t|true",
            "COPY t FROM STDIN|COPY|ROW_EXCLUSIVE|true|t|true",
            "COPY t (a, b) TO STDOUT|COPY|ACCESS_SHARE|true|t|true",
            "SELECT extract(year FROM ts), a IS DISTINCT FROM b FROM t, u|SELECT|ACCESS_SHARE|true|t,u|true",
            "SELECT * FROM t FOR UPDATE SKIP LOCKED|SELECT|ROW_SHARE|true|t|true",
            "SELECT 1|SELECT|ACCESS_SHARE|true||true",
            "SELECT * FROM generate_series(1, 3) g|SELECT|ACCESS_SHARE|true||true",
            "WITH moved AS (DELETE FROM a RETURNING *) INSERT INTO b SELECT * FROM moved|INSERT|ROW_EXCLUSIVE|true|a,b|true",
            "WITH x AS (SELECT 1) SELECT * FROM x|SELECT|ACCESS_SHARE|true||true",
            "TRUNCATE TABLE a, ONLY b CASCADE|TRUNCATE|ACCESS_EXCLUSIVE|true|a,b|true",
            "LOCK TABLE t IN SHARE ROW EXCLUSIVE MODE NOWAIT|LOCK TABLE|SHARE_ROW_EXCLUSIVE|true|t|true",
            "LOCK t|LOCK TABLE|ACCESS_EXCLUSIVE|true|t|true",
            "VACUUM|VACUUM|SHARE_UPDATE_EXCLUSIVE|true||false",
            "VACUUM (ANALYZE, VERBOSE) t (a), u|VACUUM|SHARE_UPDATE_EXCLUSIVE|true|t,u|false",
            "VACUUM FULL t|VACUUM|ACCESS_EXCLUSIVE|true|t|false",
            "VACUUM (FULL true) t|VACUUM|ACCESS_EXCLUSIVE|true|t|false",
            "VACUUM (FULL false) t|VACUUM|SHARE_UPDATE_EXCLUSIVE|true|t|false",
            "ANALYZE t|ANALYZE|SHARE_UPDATE_EXCLUSIVE|true|t|true",
            "CLUSTER t USING idx|CLUSTER|ACCESS_EXCLUSIVE|true|t|true",
            "CLUSTER|CLUSTER|ACCESS_EXCLUSIVE|true||false",
            "REINDEX INDEX i|REINDEX|ACCESS_EXCLUSIVE|true|i|true",
            "REINDEX TABLE t|REINDEX|ACCESS_EXCLUSIVE|true|t|true",
            "REINDEX TABLE CONCURRENTLY t|REINDEX|SHARE_UPDATE_EXCLUSIVE|true|t|false",
            "REINDEX (CONCURRENTLY) INDEX i|REINDEX|SHARE_UPDATE_EXCLUSIVE|true|i|false",
            "REINDEX SCHEMA s|REINDEX|ACCESS_EXCLUSIVE|true||false",
            "REINDEX DATABASE d|REINDEX|ACCESS_EXCLUSIVE|true||false",
            "REINDEX SYSTEM|REINDEX|ACCESS_EXCLUSIVE|true||false",
            "REFRESH MATERIALIZED VIEW mv|REFRESH MATERIALIZED VIEW|ACCESS_EXCLUSIVE|true|mv|true",
            "REFRESH MATERIALIZED VIEW CONCURRENTLY s.mv|REFRESH MATERIALIZED VIEW|EXCLUSIVE|true|s.mv|true",
            "COMMENT ON TABLE t IS 'x'|COMMENT|SHARE_UPDATE_EXCLUSIVE|true|t|true",
            "COMMENT ON COLUMN s.t.c IS 'x'|COMMENT|SHARE_UPDATE_EXCLUSIVE|true|s.t|true",
            "COMMENT ON FUNCTION f() IS 'x'|COMMENT|NONE|true||true",
            "DO $$ BEGIN PERFORM 1; END $$|DO|ACCESS_EXCLUSIVE|false||true",
            "CALL p()|CALL|ACCESS_EXCLUSIVE|false||true",
            "FROBNICATE t|FROBNICATE|ACCESS_EXCLUSIVE|false||true",
            "SET lock_timeout = '1s'|SET|NONE|true||true",
            "GRANT SELECT ON t TO r|GRANT|NONE|true||true",
            "DISCARD ALL|DISCARD|NONE|true||false",
            "COMMIT PREPARED 'x'|COMMIT PREPARED|NONE|true||false",
            "ROLLBACK PREPARED 'x'|ROLLBACK PREPARED|NONE|true||false",
            "EXPLAIN ANALYZE UPDATE t SET a = 1|EXPLAIN|ROW_EXCLUSIVE|true|t|true",
    })
    void classifies(String sql, String command, LockMode lock, boolean certain, String targets, boolean transactional) {
        Classification result = classify(sql);
        assertThat(result.command()).as("command").isEqualTo(command);
        assertThat(result.lock()).as("lock").isEqualTo(lock);
        assertThat(result.lockCertain()).as("lockCertain").isEqualTo(certain);
        List<String> expectedTargets = targets == null ? List.of() : Arrays.asList(targets.split(","));
        assertThat(result.targets()).as("targets").containsExactlyElementsOf(expectedTargets);
        assertThat(result.transactional()).as("transactional").isEqualTo(transactional);
        assertThat(result.transactionControl()).as("transactionControl").isFalse();
    }

    @ParameterizedTest
    @CsvSource({"BEGIN, BEGIN", "BEGIN ISOLATION LEVEL SERIALIZABLE, BEGIN", "START TRANSACTION, START TRANSACTION",
            "COMMIT, COMMIT", "END, COMMIT", "ROLLBACK, ROLLBACK", "ABORT, ROLLBACK", "SAVEPOINT a, SAVEPOINT",
            "RELEASE SAVEPOINT a, RELEASE", "ROLLBACK TO SAVEPOINT a, ROLLBACK",
            "PREPARE TRANSACTION 'x', PREPARE TRANSACTION"})
    void transactionControl(String sql, String command) {
        Classification result = classify(sql);
        assertThat(result.transactionControl()).isTrue();
        assertThat(result.transactional()).isTrue();
        assertThat(result.command()).isEqualTo(command);
        assertThat(result.lock()).isEqualTo(LockMode.NONE);
    }

    /** Columns: statement | action | kind | schema | name | if [not] exists. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS idx ON t(x)|CREATE|INDEX||idx|true",
            "CREATE INDEX \"Idx\" ON s.t(x)|CREATE|INDEX|s|Idx|false",
            "DROP INDEX CONCURRENTLY IF EXISTS s.idx|DROP|INDEX|s|idx|true",
            "CREATE TABLE IF NOT EXISTS Public.Users (id int)|CREATE|TABLE|public|users|true",
            "CREATE UNLOGGED TABLE \"My\"\"T\" (id int)|CREATE|TABLE||My\"T|false",
            "CREATE TABLE t AS SELECT 1|CREATE|TABLE||t|false",
            "DROP TABLE t|DROP|TABLE||t|false",
            "CREATE OR REPLACE VIEW s.v AS SELECT 1|CREATE|VIEW|s|v|false",
            "DROP VIEW IF EXISTS v|DROP|VIEW||v|true",
            "CREATE MATERIALIZED VIEW IF NOT EXISTS mv AS SELECT 1|CREATE|MATERIALIZED_VIEW||mv|true",
            "DROP MATERIALIZED VIEW mv|DROP|MATERIALIZED_VIEW||mv|false",
            "CREATE SEQUENCE IF NOT EXISTS s.seq START 1|CREATE|SEQUENCE|s|seq|true",
            "DROP SEQUENCE seq|DROP|SEQUENCE||seq|false",
            "CREATE SCHEMA IF NOT EXISTS app|CREATE|SCHEMA||app|true",
            "CREATE SCHEMA AUTHORIZATION joe|CREATE|SCHEMA||joe|false",
            "DROP SCHEMA IF EXISTS app CASCADE|DROP|SCHEMA||app|true",
            "CREATE TYPE s.mood AS ENUM ('a')|CREATE|TYPE|s|mood|false",
            "DROP TYPE IF EXISTS mood|DROP|TYPE||mood|true",
            "CREATE OR REPLACE FUNCTION s.f(a int) RETURNS int AS 'select 1' LANGUAGE sql|CREATE|FUNCTION|s|f|false",
            "DROP FUNCTION IF EXISTS f(int, text)|DROP|FUNCTION||f|true",
            "CREATE PROCEDURE p() LANGUAGE sql AS 'select 1'|CREATE|PROCEDURE||p|false",
    })
    void reportsTheObjectItCreatesOrDrops(String sql, ObjectChange.Action action, ObjectKind kind, String schema,
            String name, boolean ifExists) {
        assertThat(classify(sql).change()).contains(new ObjectChange(action, kind, schema, name, ifExists));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "CREATE INDEX ON t (a)",
            "DROP TABLE a, b",
            "DROP FUNCTION f(int), g(text)",
            "CREATE TRIGGER tr AFTER INSERT ON t EXECUTE FUNCTION f()",
            "ALTER TABLE t ADD COLUMN a int",
            "CREATE DOMAIN d AS int",
            "SELECT 1",
    })
    void reportsNoObjectChangeOtherwise(String sql) {
        assertThat(classify(sql).change()).isEmpty();
    }

    @Test
    void reportsTheLockOnEachRelation() {
        Classification attach = classify("ALTER TABLE m ATTACH PARTITION m_1 FOR VALUES IN (1)");
        assertThat(attach.locks()).containsExactly(
                new RelationLock("m", LockMode.SHARE_UPDATE_EXCLUSIVE),
                new RelationLock("m_1", LockMode.ACCESS_EXCLUSIVE));
        Classification fk = classify("ALTER TABLE t ADD FOREIGN KEY (a) REFERENCES o");
        assertThat(fk.locks()).containsExactly(
                new RelationLock("t", LockMode.SHARE_ROW_EXCLUSIVE),
                new RelationLock("o", LockMode.SHARE_ROW_EXCLUSIVE));
    }

    @Test
    void classifiesStatementsFromAWholeScript() {
        List<Statement> statements = StatementSplitter.split("""
                -- migration
                SET lock_timeout = '2s';
                CREATE INDEX CONCURRENTLY idx_users_email ON users (email);
                ALTER TABLE users ADD CONSTRAINT users_org_fk FOREIGN KEY (org_id) REFERENCES orgs (id) NOT VALID;
                """);
        assertThat(statements).extracting(s -> classifier.classify(s).command())
                .containsExactly("SET", "CREATE INDEX CONCURRENTLY", "ALTER TABLE");
    }
}
