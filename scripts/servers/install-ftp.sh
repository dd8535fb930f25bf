#!/usr/bin/env bash
# Installs pure-ftpd, the FTP and FTPS server the deploy tests start on
# loopback (tests/integration/deploy/ftp.rs), and openssl, which makes its
# certificate. Does nothing when both are there. The package may start a
# daemon on port 21: the tests start servers of their own and never use it.
set -euo pipefail

installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

missing=()
for package in pure-ftpd openssl; do
  installed "$package" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

as_root=()
if [ "$(id -u)" -ne 0 ]; then
  as_root=(sudo)
fi
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
