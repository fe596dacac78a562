#!/usr/bin/env bash
# The one command that runs every test on a fresh Debian/Ubuntu machine: installs, then `npm test`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
rm -f test-results/vitest.json
status=0
npm test || status=$?
[ -f test-results/vitest.json ] && node scripts/test-summary.mjs test-results/vitest.json
exit $status
