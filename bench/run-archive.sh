#!/usr/bin/env bash
# The cost of archiving (issue 5): DROP COLUMN on a 1M-row table by Flyway, by Reverso with --no-archive and
# by Reverso archiving the column, then the archive's size and the rollback that restores it.
#
#   bench/run-archive.sh [--rows N (1000000)] [--rounds R (3)]
#
# Server: $REVERSO_TEST_URL, default jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres.
# The bench creates and drops a scratch database named reverso_archivebench_* on it.
# Results and how to read them: docs/BENCHMARKS.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

echo "bench: building (mvn -Pbench -pl bench -am package, tests skipped)..." >&2
mvn ${BENCH_MVN_OPTS:-} -q -B -Pbench -DskipTests -pl bench -am package >&2

exec java ${BENCH_JAVA_OPTS:-} \
  -cp "bench/target/reverso-bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*" \
  dev.reverso.bench.ArchiveBench "$@"
