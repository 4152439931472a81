#!/usr/bin/env bash
# What archiving and restoring cost the application under a write load (issue 14): the worst latency
# during an archived DROP COLUMN, its down, and complete of alter_column and drop_column, against a no-change window.
#
#   bench/run-archive-load.sh [--rows 1000000,5000000] [--clients 4] [--rate 2000] [--only peer,sql,type,notnull,check,drop]
#
# Server: $REVERSO_TEST_URL, default jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres.
# The bench creates and drops a scratch database named reverso_archiveload_* on it.
# Results and how to read them: docs/BENCHMARKS.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

echo "bench: building (mvn -Pbench -pl bench -am package, tests skipped)..." >&2
mvn ${BENCH_MVN_OPTS:-} -q -B -Pbench -DskipTests -pl bench -am package >&2

exec java ${BENCH_JAVA_OPTS:-} \
  -cp "bench/target/reverso-bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*" \
  dev.reverso.bench.ArchiveLoadBench "$@"
