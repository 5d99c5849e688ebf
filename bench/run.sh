#!/usr/bin/env bash
# Runs every gateway benchmark (wrk on 127.0.0.1, each run ≤ 10 s); see docs/benchmarks.md.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v /usr/bin/wrk >/dev/null || { echo "wrk is required (apt-get install wrk)" >&2; exit 1; }
exec node --import tsx bench/run-bench.ts "$@"
