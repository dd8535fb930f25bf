#!/usr/bin/env bash
# The whole test suite: the Rust tests, then the built site in headless
# Chromium. Installs what the tests need on a fresh machine: the servers
# the deploy tests talk to, Debian's chromium, and the npm packages of
# tests/browser.
set -euo pipefail
cd "$(dirname "$0")/.."

# The deploy tests start real SFTP, FTP and S3-compatible servers on loopback.
bash scripts/servers/install.sh

cargo test --locked

if ! command -v chromium >/dev/null 2>&1; then
  echo "== installing Debian's chromium for the browser tests"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium >/dev/null
fi
(cd tests/browser && npm ci --no-audit --no-fund --silent)
cargo build --quiet --locked
(cd tests/browser && npm test)
