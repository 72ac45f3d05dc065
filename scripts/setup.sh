#!/bin/sh
# Installs what the project needs on a fresh clone: npm dependencies from the lockfile and,
# with --browser, a Chromium for the browser tests (Debian's package, or $CHROMIUM_PATH).
set -e
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm dependencies from package-lock.json"
  npm ci --no-audit --no-fund
fi

if [ "$1" = "--browser" ]; then
  if [ -n "$CHROMIUM_PATH" ]; then
    if [ ! -x "$CHROMIUM_PATH" ]; then
      echo "setup: CHROMIUM_PATH=$CHROMIUM_PATH is not an executable" >&2
      exit 1
    fi
  elif [ ! -x /usr/bin/chromium ]; then
    if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
      echo "setup: installing Debian's chromium"
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    else
      echo "setup: no Chromium found. Install one (Debian: apt-get install chromium) or point" >&2
      echo "       CHROMIUM_PATH at a Chromium/Chrome binary, then run again." >&2
      exit 1
    fi
  fi
fi
