#!/usr/bin/env bash
# Runs the token-endpoint benchmark (bench/token-bench.ts, loopback only, bounded) on plain JavaScript, as
# production runs it (tsc output; no tsx loader and its keepNames wrappers): the sources are transpiled with
# esbuild (no type check, no bundling) into node_modules/.cache/portico-token-bench. Env as token-bench.ts
# (DURATION_S, CONCURRENCY, ROUNDS, FLOOR=1); see docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=node_modules/.cache/portico-token-bench
rm -rf "$OUT"
node_modules/.bin/esbuild $(find src test/support bench -name '*.ts' ! -name '*.test.ts') \
  --outdir="$OUT" --outbase=. --platform=node --format=esm --target=node20 --log-level=warning
cp bench/token-bench-client.mjs "$OUT/bench/"
exec node "$OUT/bench/token-bench.js" "$@"
