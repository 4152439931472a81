#!/usr/bin/env bash
# Times `reverso up` / `down --all` over N trivial migrations next to Flyway's `migrate` over the
# same N files, on the same PostgreSQL server. Prints a markdown report on stdout.
#
#   bench/run-up-down.sh [--count N (1000)] [--rounds R (5)] [--warmup W (1)] [--no-cli]
#
# Server: $REVERSO_TEST_URL, default jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres.
# The bench creates and drops scratch databases named reverso_bench_* on it.
# Results and how to read them: docs/BENCHMARKS.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

echo "bench: building (mvn -Pbench -pl bench -am package, tests skipped)..." >&2
mvn -q -B -Pbench -DskipTests -pl bench -am package >&2

# Flyway Community reports no telemetry from the Java API; this makes sure of it.
export REDGATE_DISABLE_TELEMETRY=true
exec java ${BENCH_JAVA_OPTS:-} \
  -cp "bench/target/reverso-bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*" \
  dev.reverso.bench.UpDownBench "$@"
