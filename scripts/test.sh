#!/usr/bin/env bash
# The one command that runs every test on a fresh Debian/Ubuntu machine: installs, then `npm test`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npm test
