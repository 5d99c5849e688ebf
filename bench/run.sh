#!/usr/bin/env bash
# Runs every gateway benchmark (wrk on 127.0.0.1, each run ≤ 10 s); see docs/benchmarks.md.
# The measured processes run the esbuild-transpiled sources (bench/transpile.sh), not the tsx loader.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x /usr/bin/wrk ] || { echo "wrk is required (apt-get install wrk)" >&2; exit 1; }
bash bench/transpile.sh
exec node node_modules/.cache/portico-bench/bench/run-bench.js "$@"
