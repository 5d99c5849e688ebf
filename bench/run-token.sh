#!/usr/bin/env bash
# Runs the token-endpoint benchmark (bench/token-bench.ts, loopback only, bounded) on plain JavaScript, as
# production runs it (no tsx loader and its keepNames wrappers; bench/transpile.sh). Env as token-bench.ts
# (DURATION_S, CONCURRENCY, ROUNDS, FLOOR=1); see docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
bash bench/transpile.sh
exec node node_modules/.cache/portico-bench/bench/token-bench.js "$@"
