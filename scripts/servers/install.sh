#!/usr/bin/env bash
# Installs the real servers the deploy tests start on loopback: OpenSSH's
# sshd for SFTP, pure-ftpd for FTP and FTPS, and moto's S3-compatible server.
# Each `install-*.sh` beside this file installs one; all are idempotent.
set -euo pipefail
cd "$(dirname "$0")"
for script in install-*.sh; do
  bash "$script"
done
