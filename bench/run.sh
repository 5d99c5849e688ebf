#!/usr/bin/env bash
# Runs every gateway benchmark (wrk on 127.0.0.1, each run ≤ 10 s); see docs/benchmarks.md.
# The sources are transpiled once with esbuild (no type check, no bundling) into node_modules/.cache/portico-bench so the measured
# processes run plain JavaScript, as in production, instead of going through the tsx loader.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x /usr/bin/wrk ] || { echo "wrk is required (apt-get install wrk)" >&2; exit 1; }
OUT=node_modules/.cache/portico-bench
rm -rf "$OUT"
node_modules/.bin/esbuild $(find src/core src/crypto src/events src/gateway bench -name '*.ts' ! -name '*.test.ts') \
  --outdir="$OUT" --outbase=. --platform=node --format=esm --target=node20 --log-level=warning
exec node "$OUT/bench/run-bench.js" "$@"
