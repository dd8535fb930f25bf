#!/usr/bin/env bash
# Installs OpenSSH's server, the SFTP server the deploy tests start on
# loopback (tests/integration/deploy/sftp.rs), with sftp-server and
# ssh-keygen, which makes the test's keys. Does nothing when they are there.
# The package may start a system sshd on port 22: the tests start servers
# of their own on other ports and never use it.
set -euo pipefail

if [ -x /usr/sbin/sshd ] && [ -x /usr/lib/openssh/sftp-server ] && command -v ssh-keygen >/dev/null 2>&1; then
  exit 0
fi

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  else
    sudo "$@"
  fi
}

echo "== installing Debian's openssh-server for the SFTP deploy tests"
as_root apt-get update -qq
as_root env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y -qq --no-install-recommends openssh-server openssh-sftp-server openssh-client >/dev/null
