#!/usr/bin/env bash
# Install what Mailwright needs on a Debian/Ubuntu machine: the Debian packages (only those
# missing) and the npm packages (only when package-lock.json changed since the last install).
set -euo pipefail
cd "$(dirname "$0")/.."

# libsecret-1-dev: keytar (optional: it only moves secrets an earlier version stored) builds against
# it; gnome-keyring + dbus: a real keychain for tests; python3-aiosmtpd: an independent SMTP server
# for the delivery test; build tools for keytar;
# chromium: the browser the UI tests drive (Playwright uses Debian's, it never downloads one).
# swaks: the reference SMTP test tool the doctor's diagnoses are compared with.
# dnsmasq-base: a real DNS server on loopback for the domain check's tests; python3-dkim: an
# independent DKIM verifier (dkimpy) for the signatures Mailwright makes.
DEBIAN_PACKAGES=(libsecret-1-dev pkg-config gnome-keyring dbus python3 python3-aiosmtpd g++ make chromium swaks dnsmasq-base python3-dkim)

missing=()
for pkg in "${DEBIAN_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  sudo_cmd=(); [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# The Electron binary is fetched separately (scripts/launch.sh), so installing never depends on it.
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f node_modules/.mailwright-lock ] || [ "$(cat node_modules/.mailwright-lock)" != "$lock_hash" ]; then
  echo "setup: npm ci"
  ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm ci --no-audit --no-fund
  echo "$lock_hash" > node_modules/.mailwright-lock
fi
