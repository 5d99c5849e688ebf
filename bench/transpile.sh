#!/usr/bin/env bash
# Transpiles the sources the benchmarks run (src, test/support, bench) with esbuild (no type check, no bundling) into
# node_modules/.cache/portico-bench, so the measured processes run plain JavaScript as production does (tsc
# output) instead of going through the tsx loader. Run from the repository root; prints nothing on success.
set -euo pipefail
OUT=node_modules/.cache/portico-bench
rm -rf "$OUT"
node_modules/.bin/esbuild $(find src test/support bench -name '*.ts' ! -name '*.test.ts') \
  --outdir="$OUT" --outbase=. --platform=node --format=esm --target=node20 --log-level=warning
cp bench/*.mjs "$OUT/bench/"
