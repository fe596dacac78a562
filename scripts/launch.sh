#!/usr/bin/env bash
# The one command that launches the app on a fresh Debian/Ubuntu machine: installs, builds, starts.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
# Fetch the Electron binary if it is not there yet. Where it cannot be downloaded, one line says
# why (the installer's stack trace is no news to a user) and `npm start` opens browser mode.
if ! node -e "require('electron')" 2>/dev/null; then
  if ! failure=$(node node_modules/electron/install.js 2>&1); then
    reason=$(grep -m1 -oE 'getaddrinfo E[A-Z_]+ [^ ]+|connect E[A-Z_]+ [^ ]+|E[A-Z_]{4,}|[0-9]{3} [A-Z][a-z ]+' <<<"$failure" | head -n1 || true)
    echo "launch: the Electron binary could not be downloaded${reason:+ ($reason)}."
  fi
fi
npm run build
npm start
