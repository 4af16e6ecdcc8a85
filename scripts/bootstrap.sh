#!/usr/bin/env bash
# SPDX-License-Identifier: MPL-2.0
# Installs what kommute needs on Debian bookworm, idempotently: only missing
# packages are installed, and apt-get update runs only when something is missing.
#   bash scripts/bootstrap.sh          build and run dependencies
#   bash scripts/bootstrap.sh --test   also what the test suite needs
set -euo pipefail

pkgs=(gcc make pkg-config zlib1g-dev libjansson-dev libsqlite3-dev libmicrohttpd-dev libpq-dev)
if [ "${1:-}" = "--test" ]; then
  # postgresql-15: make check runs the store tests on a throwaway cluster too (scripts/pg-test.sh)
  pkgs+=(chromium postgresql-15 postgresql-common)
fi

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "bootstrap: installing ${missing[*]}" >&2
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# The page's npm dev dependencies (playwright-core, esbuild) for the browser test,
# from the committed lock file; playwright-core drives Debian's chromium (no download).
web="$(cd "$(dirname "$0")/.." && pwd)/web"
if [ "${1:-}" = "--test" ] && command -v npm >/dev/null 2>&1 && [ ! -d "$web/node_modules/playwright-core" ]; then
  (cd "$web" && npm ci --no-audit --no-fund --loglevel=error)
fi
echo "bootstrap: dependencies present" >&2
