#!/usr/bin/env bash
# Run a command with a real, unlocked Secret Service keychain of its own: a private D-Bus session
# and gnome-keyring-daemon, in a throw-away HOME so the user's own keyring is never touched.
set -euo pipefail
if [ "${MAILWRIGHT_IN_KEYRING:-}" = 1 ]; then exec "$@"; fi
for tool in dbus-run-session gnome-keyring-daemon; do
  command -v "$tool" >/dev/null || { echo "with-keyring: $tool is missing (apt-get install dbus gnome-keyring)" >&2; exit 1; }
done
keyring_home=$(mktemp -d)
trap 'rm -rf "$keyring_home"' EXIT
export MAILWRIGHT_KEYRING_HOME="$keyring_home"
# Inside the session: start the daemon, unlock a fresh login keyring with a throw-away password, run.
exec dbus-run-session -- bash -c '
  export HOME="$MAILWRIGHT_KEYRING_HOME" MAILWRIGHT_IN_KEYRING=1
  eval "$(printf "mailwright-test-keyring" | gnome-keyring-daemon --unlock --components=secrets 2>/dev/null)"
  export GNOME_KEYRING_CONTROL
  cd "$0" && exec "$@"
' "$PWD" "$@" 2> >(grep -v -e "Failed to set fd limit" -e "SystemPrompter" -e "cannot open display" >&2)
