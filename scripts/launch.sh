#!/usr/bin/env bash
# The one command that launches the app on a fresh Debian/Ubuntu machine: installs, builds, starts.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# Fetch the Electron binary if it is not there yet; where it cannot be downloaded, `npm start` says so.
node -e "require('electron')" 2>/dev/null || node node_modules/electron/install.js || echo "launch: the Electron binary could not be downloaded"
npm run build
npm start
