#!/usr/bin/env bash
# Lints the lint corpus (core/src/test/resources/lint-corpus) with squawk and with Reverso, scores
# both against expected.tsv the same way (dev.reverso.lint.CorpusScore: hazards caught, findings
# right, safe files flagged), then times both on a ~10 MB file of concatenated corpus migrations.
# Prints a report on stdout; progress goes to stderr. Results and how to read them: docs/BENCHMARKS.md.
#
#   bench/lint-vs-squawk.sh [--size-mb N (10)] [--runs R (5); the interleaved comparison takes 2R rounds]
#
# Needs: node/npm (squawk-cli comes from the npm registry into bench/work/, gitignored), Java 17 and
# Maven (dependencies from Maven Central, or set BENCH_MVN_OPTS=-o to build offline), and
# hyperfine if installed (else one /usr/bin/time run each).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

SQUAWK_VERSION=2.66.0
size_mb=10
runs=5
while [ $# -gt 0 ]; do
  case "$1" in
    --size-mb) size_mb="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    *) echo "usage: $0 [--size-mb N] [--runs R]" >&2; exit 2 ;;
  esac
done

corpus="core/src/test/resources/lint-corpus"
work="bench/work"
mkdir -p "$work"

# --- squawk ------------------------------------------------------------------------------------
# squawk-cli ships its binary in a platform package (optionalDependencies @squawk-cli/<os>-<arch>),
# no postinstall download; call that binary directly rather than the node wrapper.
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) platform=linux-x64 ;;
  Linux-aarch64) platform=linux-arm64 ;;
  Darwin-arm64) platform=darwin-arm64 ;;
  Darwin-x86_64) platform=darwin-x64 ;;
  *) echo "no squawk-cli binary package for $(uname -s)-$(uname -m)" >&2; exit 1 ;;
esac
squawk="$work/node_modules/@squawk-cli/$platform/bin/squawk"
if [ ! -x "$squawk" ] || [ "$("$squawk" --version)" != "squawk $SQUAWK_VERSION" ]; then
  echo "bench: npm install squawk-cli@$SQUAWK_VERSION into $work ..." >&2
  npm install --prefix "$work" --no-audit --no-fund --loglevel=error "squawk-cli@$SQUAWK_VERSION" >&2
fi
echo "bench: $("$squawk" --version) at $squawk" >&2

# squawk as well as it can be set: PostgreSQL 15, no rule excluded, and per file the transaction
# mode Reverso's runner uses (one transaction per file, unless the file starts with
# "-- reverso:no-transaction" or holds a statement that cannot run in one; a file with its own
# BEGIN is left to squawk to read as written).
runs_in_transaction() {
  local f="$1"
  head -n 1 "$f" | grep -Eqi '^--[[:space:]]*reverso:no-transaction' && return 1
  grep -Eqi '\bconcurrently\b|^[[:space:]]*vacuum\b|create[[:space:]]+database|alter[[:space:]]+system' "$f" && return 1
  grep -Eqi '^[[:space:]]*(begin|start[[:space:]]+transaction)[[:space:]]*;' "$f" && return 1
  return 0
}
to_tsv='let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{for(const v of JSON.parse(s||"[]"))console.log(v.file+"\t"+v.rule_name)})'
findings="$work/squawk-findings.tsv"
: > "$findings"
for f in "$corpus"/*.sql; do
  if runs_in_transaction "$f"; then mode=--assume-in-transaction; else mode=--no-assume-in-transaction; fi
  { "$squawk" --pg-version 15 $mode --reporter json "$f" || true; } | node -e "$to_tsv" >> "$findings"
done

echo "bench: building Reverso (mvn -Pbench -pl bench -am package, tests skipped) ..." >&2
mvn ${BENCH_MVN_OPTS:-} -q -B -Pbench -DskipTests -pl bench -am package >&2
cp="bench/target/reverso-bench-0.1.0-SNAPSHOT.jar:bench/target/lib/*"
# The JVM options bin/reverso uses by default, so the bench times Reverso as users run it.
jvm_opts="-XX:TieredStopAtLevel=1 -XX:+UseParallelGC -XX:MaxTenuringThreshold=0"
lintbench() { java $jvm_opts -cp "$cp" dev.reverso.bench.LintBench "$@"; }

echo "# Lint: Reverso next to squawk"
echo
echo "squawk: $("$squawk" --version) (npm squawk-cli@$SQUAWK_VERSION, binary @squawk-cli/$platform), --pg-version 15, per-file transaction mode as Reverso runs it, nothing excluded"
echo "corpus: $(ls "$corpus"/*.sql | wc -l) files in $corpus"
echo
echo '## squawk on the corpus'
echo '```'
lintbench score-squawk "$corpus" "$findings"
echo '```'
echo
echo '## squawk with require-lock-timeout excluded (Reverso'"'"'s runner sets lock_timeout, so the rule only repeats that)'
echo '```'
grep -v $'\trequire-lock-timeout$' "$findings" > "$work/squawk-findings-no-lock-timeout.tsv" || true
lintbench score-squawk "$corpus" "$work/squawk-findings-no-lock-timeout.tsv" | sed -n '1,4p'
echo '```'
echo
echo '## Reverso on the corpus'
echo '```'
lintbench score "$corpus"
echo '```'

# --- timing ------------------------------------------------------------------------------------
big="$work/corpus-${size_mb}mb.sql"
target=$((size_mb * 1000 * 1000))
cat "$corpus"/*.sql > "$work/corpus-once.sql"
: > "$big"
while [ "$(stat -c %s "$big")" -lt "$target" ]; do cat "$work/corpus-once.sql" >> "$big"; done
bytes=$(stat -c %s "$big")
stmts=$(grep -c ';' "$big" || true)
echo
echo "machine: $(nproc) cores, load average before timing: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "## Time: corpus (one process over all files) and $big ($bytes bytes, ~$stmts statements)"
echo
sq_corpus="$squawk --pg-version 15 --assume-in-transaction --reporter json $corpus/*.sql > /dev/null"
sq_big="$squawk --pg-version 15 --assume-in-transaction --reporter json $big > /dev/null"
rv_corpus="java $jvm_opts -cp '$cp' dev.reverso.bench.LintBench score $corpus > /dev/null"
rv_big="java $jvm_opts -cp '$cp' dev.reverso.bench.LintBench time $big > /dev/null"
# What a user runs: the CLI, its JSON report written out (bin/reverso builds cli/ first if needed).
[ -x bin/reverso ] && bin/reverso --version > /dev/null
rv_cli="bin/reverso lint $big --format json > /dev/null"
if command -v hyperfine > /dev/null; then
  echo "hyperfine $(hyperfine --version | cut -d' ' -f2), $runs runs after 1 warm-up; squawk exits 1 when it finds something, hence -i"
  echo '```'
  hyperfine -i --style basic --warmup 1 --runs "$runs" --export-markdown "$work/hyperfine.md" \
    -n "squawk, corpus" "$sq_corpus" -n "reverso, corpus (JVM start included)" "$rv_corpus" \
    -n "squawk, ${size_mb} MB" "$sq_big" -n "reverso, ${size_mb} MB (JVM start included)" "$rv_big" \
    -n "reverso CLI, ${size_mb} MB (bin/reverso lint --format json)" "$rv_cli" 2>&1 \
    | grep -v '^ *$' || true
  echo '```'
  cat "$work/hyperfine.md"
else
  echo "(hyperfine not installed: one /usr/bin/time run each)"
  echo '```'
  for c in "$sq_corpus" "$rv_corpus" "$sq_big" "$rv_big" "$rv_cli"; do
    /usr/bin/time -f "%e s  %M KB  $c" bash -c "$c" 2>&1 | tail -1 || true
  done
  echo '```'
fi
echo
echo "Reverso in one JVM, $runs runs (the linter alone, no JVM start):"
echo '```'
lintbench time --runs "$runs" "$big"
echo '```'

# hyperfine runs one command's runs back to back, and this machine's speed drifts by 20-30 % over
# minutes; taking squawk and the CLI in turns puts both through the same drift, and the median of
# the per-round ratios is the figure to quote.
echo
rounds=$((runs * 2))
echo "Interleaved, $rounds rounds of squawk then the CLI on $big (wall seconds):"
echo '```'
for _ in $(seq 1 "$rounds"); do
  s0=$(date +%s%N); "$squawk" --pg-version 15 --assume-in-transaction --reporter json "$big" > /dev/null || true; s1=$(date +%s%N)
  bin/reverso lint "$big" --format json > /dev/null || true; s2=$(date +%s%N)
  echo "$(( (s1 - s0) / 1000000 )) $(( (s2 - s1) / 1000000 ))"
done | awk '{sq[NR]=$1/1000; rv[NR]=$2/1000; r[NR]=$2/$1; printf "round %2d  squawk %.3f  reverso %.3f  ratio %.3f\n", NR, sq[NR], rv[NR], r[NR]}
  END {n=asort(sq); asort(rv); asort(r); m=int((n+1)/2);
       printf "median    squawk %.3f  reverso %.3f  ratio %.3f (reverso / squawk; below 1 is faster)\n", sq[m], rv[m], r[m]}'
echo '```'
